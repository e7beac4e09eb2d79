using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Runtime.InteropServices;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// Keeps events small: a tool's params or result larger than <see cref="EventOptions.MaxInlineBytes"/> is stored once
/// as an artifact of the execution, and its event carries a preview (the same JSON with each long string cut to
/// <see cref="PreviewChars"/> characters and an ellipsis) and an <see cref="ArtifactReference"/>. Only the durable
/// events change: the loop, and so the model, keeps the whole value.
/// </summary>
public static class PayloadPolicy
{
    public const int PreviewChars = 200;

    /// <summary>
    /// <paramref name="events"/> with large values replaced, and the artifacts to store first. Runs on every flush: a
    /// batch with nothing to replace comes back as it is, with no artifacts, and nothing is allocated.
    /// </summary>
    public static (AgentEvent[] Events, IReadOnlyList<ExecutionArtifact> Artifacts) Apply(AgentEvent[] events, int maxInlineBytes)
    {
        List<ExecutionArtifact>? artifacts = null;
        AgentEvent[]? replaced = null;
        for (var i = 0; i < events.Length; i++)
        {
            var evt = events[i];
            AgentEventData? data = evt.Data switch
            {
                ToolStartData start when Offload(evt.ExecutionId, start.Params, maxInlineBytes, ref artifacts) is var (preview, reference) =>
                    start with { Params = preview, ParamsRef = reference },
                ToolCompleteData { Result: { } result } complete when Offload(evt.ExecutionId, result, maxInlineBytes, ref artifacts) is var (preview, reference) =>
                    complete with { Result = preview, ResultRef = reference },
                _ => null,
            };
            if (data is not null)
            {
                (replaced ??= (AgentEvent[])events.Clone())[i] = evt with { Data = data };
            }
        }

        return (replaced ?? events, (IReadOnlyList<ExecutionArtifact>?)artifacts ?? []);
    }

    /// <summary>
    /// The events as they were emitted: each preview replaced by its artifact's whole value, for a run that resumes
    /// from the log (its model must see what it saw before). A reference whose artifact is gone keeps its preview.
    /// </summary>
    public static async Task<IReadOnlyList<AgentEvent>> Restore(IReadOnlyList<AgentEvent> events, Func<string, Task<byte[]?>> readArtifact)
    {
        var restored = events.ToArray();
        for (var i = 0; i < restored.Length; i++)
        {
            var evt = restored[i];
            if (evt.Data is ToolStartData { ParamsRef: { } paramsRef } start && await Whole(paramsRef) is { } parameters)
            {
                restored[i] = evt with { Data = start with { Params = parameters, ParamsRef = null } };
            }
            else if (evt.Data is ToolCompleteData { ResultRef: { } resultRef } complete && await Whole(resultRef) is { } result)
            {
                restored[i] = evt with { Data = complete with { Result = result, ResultRef = null } };
            }
        }

        return restored;

        async Task<JsonElement?> Whole(ArtifactReference reference) =>
            await readArtifact(reference.Sha256) is { } bytes ? JsonDocument.Parse(bytes).RootElement.Clone() : null;
    }

    private static (JsonElement Preview, ArtifactReference Reference)? Offload(
        string executionId, JsonElement value, int maxInlineBytes, ref List<ExecutionArtifact>? artifacts)
    {
        if (value.ValueKind == JsonValueKind.Undefined)
        {
            return null;
        }

        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.Length <= maxInlineBytes)
        {
            return null;
        }

        var content = raw.ToArray();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        (artifacts ??= []).Add(new ExecutionArtifact(sha256, content));
        return (Preview(value, maxInlineBytes), new ArtifactReference(content.Length, sha256, ArtifactReference.PathFor(executionId, sha256)));
    }

    /// <summary>
    /// The value with every string longer than <see cref="PreviewChars"/> cut (keys and shape kept), or, when even
    /// that is over <paramref name="maxBytes"/> (thousands of small items), the start of its JSON text as one string.
    /// </summary>
    public static JsonElement Preview(JsonElement value, int maxBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return buffer.WrittenCount <= maxBytes
            ? JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone()
            : JsonSerializer.SerializeToElement(Cut(value.GetRawText()));
    }

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in value.EnumerateObject())
                {
                    writer.WritePropertyName(Cut(property.Name));
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(Cut(value.GetString()!));
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static string Cut(string text)
    {
        if (text.Length <= PreviewChars)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[PreviewChars - 1]) ? PreviewChars - 1 : PreviewChars; // never half a character
        return string.Concat(text.AsSpan(0, length), "…");
    }
}
