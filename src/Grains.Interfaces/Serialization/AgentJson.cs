using System.Text.Json;
using System.Text.Json.Serialization;

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
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new UtcTimestampJsonConverter());
    }

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
