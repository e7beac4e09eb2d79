using System.Text.Json.Serialization;

namespace Orleans.Agent.LiveText;

/// <summary>
/// A piece of a text being written: <paramref name="Text"/> goes at <paramref name="Offset"/> (UTF-16 code units, as a
/// JavaScript string counts) of the text <paramref name="TextId"/> (see <see cref="LiveTextIds"/>). The deltas of a
/// text, in order, spell exactly what its durable event will hold; an offset-0 delta carries the whole text so far.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TextDelta(
    [property: Id(0)] string TextId,
    [property: Id(1)] int Offset,
    [property: Id(2)] string Text)
{
    /// <summary>The SSE <c>event:</c> of a delta (docs/events.md); it has no <c>id:</c>, being in no log.</summary>
    public const string EventType = "text:delta";

    /// <summary>Where the text ends after this delta.</summary>
    [JsonIgnore]
    public int End => Offset + Text.Length;
}
