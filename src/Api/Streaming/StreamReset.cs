using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The <c>stream:reset</c> frame: the client's cursor could not be served, so instead of a silent gap it gets the
/// execution's current snapshot, and the stream continues after <c>snapshot.lastSequence</c> (also the frame's id).
/// </summary>
/// <param name="Reason"><c>retention</c> (older than the retained log), <c>ahead</c> (beyond the last event) or <c>malformed</c>.</param>
/// <param name="RequestedCursor">The Last-Event-ID the client sent.</param>
/// <param name="Snapshot">The execution as of the frame's id.</param>
public sealed record StreamReset(string Reason, string RequestedCursor, ExecutionSnapshot Snapshot)
{
    public const string EventType = "stream:reset";

    public const string Retention = "retention";
    public const string Ahead = "ahead";
    public const string Malformed = "malformed";

    /// <summary>Every <see cref="Reason"/> there is.</summary>
    public static IReadOnlyList<string> Reasons { get; } = [Retention, Ahead, Malformed];
}
