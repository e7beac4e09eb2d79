using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Orleans.Agent.Events;

namespace Orleans.Agent.Serialization;

/// <summary>The one set of JSON options for everything on the wire: camelCase, enums as camelCase strings, UTC times.</summary>
public static class AgentJson
{
    /// <summary>Shared, read-only options. Use these (or <see cref="Configure"/>) wherever the wire format is written.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Applies the wire settings to options owned by someone else (for example ASP.NET Core's).</summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.PropertyNameCaseInsensitive = true;
        // Quotes and non-ASCII text stay readable; control characters (newlines) are still escaped, which keeps
        // every event on one SSE data line.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.TypeInfoResolver = JsonTypeInfoResolver.Combine(options.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver())
            .WithAddedModifier(OmitEventTypeFromPayloads);
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new UtcTimestampJsonConverter());
    }

    /// <summary>A payload's event type is already the event's <c>type</c>; [JsonIgnore] on the base is not inherited by overrides.</summary>
    private static void OmitEventTypeFromPayloads(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind == JsonTypeInfoKind.Object && typeof(AgentEventData).IsAssignableFrom(typeInfo.Type))
        {
            var eventType = typeInfo.Properties.FirstOrDefault(p => p.Name == "eventType");
            if (eventType is not null)
            {
                typeInfo.Properties.Remove(eventType);
            }
        }
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
