namespace Orleans.Agent.LiveText;

/// <summary>
/// Withdraws what a client was sent of <paramref name="TextId"/>: the run writing it was cut by a failure before the
/// text became durable. Deltas that follow (from offset 0) are the resumed run's text.
/// </summary>
public sealed record TextReset(string TextId)
{
    /// <summary>The SSE <c>event:</c> of a reset; like a delta, it has no <c>id:</c>.</summary>
    public const string EventType = "text:reset";
}
