using System.Text.Json;

namespace Orleans.Agent.Serialization;

/// <summary>
/// Orleans has no codec for <see cref="JsonElement"/> (tool parameters and results are free-form JSON),
/// so it travels between silos as its raw JSON text.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct JsonElementSurrogate([property: Id(0)] string RawJson);

/// <summary>Converts <see cref="JsonElement"/> to and from <see cref="JsonElementSurrogate"/>.</summary>
[RegisterConverter]
public sealed class JsonElementSurrogateConverter : IConverter<JsonElement, JsonElementSurrogate>
{
    public JsonElement ConvertFromSurrogate(in JsonElementSurrogate surrogate)
    {
        using var document = JsonDocument.Parse(surrogate.RawJson);
        return document.RootElement.Clone();
    }

    public JsonElementSurrogate ConvertToSurrogate(in JsonElement value) => new(value.GetRawText());
}
