using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Agent.Serialization;

/// <summary>Writes every timestamp as UTC ISO 8601 with a <c>Z</c> suffix, whatever offset it was created with.</summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    // Every event has a timestamp: format straight into UTF-8 on the stack rather than through a string per event.
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> utf8 = stackalloc byte[32]; // "yyyy-MM-ddTHH:mm:ss.fffZ" is 24 bytes
        if (!value.UtcDateTime.TryFormat(utf8, out var written, Format, CultureInfo.InvariantCulture))
        {
            throw new FormatException($"Timestamp {value:O} does not fit its format."); // unreachable: the format has a fixed width
        }

        writer.WriteStringValue(utf8[..written]);
    }
}
