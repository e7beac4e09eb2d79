using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// Writes <c>data</c> as the payload's own shape (no type discriminator: <c>type</c> already says it) and
/// reads it back by looking up <c>type</c> in <see cref="AgentEventTypes.PayloadTypes"/>.
/// </summary>
public sealed class AgentEventJsonConverter : JsonConverter<AgentEvent>
{
    public override AgentEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var type = Required(root, "type").GetString()!;
        if (!AgentEventTypes.PayloadTypes.TryGetValue(type, out var payloadType))
        {
            throw new JsonException($"Unknown event type '{type}'.");
        }

        var data = (AgentEventData?)Required(root, "data").Deserialize(payloadType, options)
            ?? throw new JsonException("An event's data must not be null.");
        return new AgentEvent(
            Required(root, "executionId").GetString()!,
            Required(root, "sequence").GetInt64(),
            type,
            Required(root, "timestamp").Deserialize<DateTimeOffset>(options),
            data);
    }

    public override void Write(Utf8JsonWriter writer, AgentEvent value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("executionId", value.ExecutionId);
        writer.WriteNumber("sequence", value.Sequence);
        writer.WriteString("type", value.Type);
        writer.WritePropertyName("timestamp");
        JsonSerializer.Serialize(writer, value.Timestamp, options);
        writer.WritePropertyName("data");
        JsonSerializer.Serialize(writer, value.Data, value.Data.GetType(), options);
        writer.WriteEndObject();
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw new JsonException($"An event needs '{name}'.");
}
