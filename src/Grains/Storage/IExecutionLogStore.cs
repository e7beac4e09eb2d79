using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Where execution event logs live. Appends only ever add to the end (a long execution never rewrites its history),
/// and each append of a batch is one durable write.
/// </summary>
public interface IExecutionLogStore
{
    /// <summary>
    /// Appends <paramref name="events"/>, which must continue the log exactly: the first one's sequence is the log's
    /// last sequence + 1. Durable when the task completes. Throws <see cref="LogConflictException"/> when the log
    /// does not end where the caller thinks (another activation wrote to it).
    /// </summary>
    Task Append(string executionId, IReadOnlyList<AgentEvent> events);

    /// <summary>The sequence of the log's last event; 0 for a log that is empty or does not exist.</summary>
    Task<long> LastSequence(string executionId);

    /// <summary>Answers once the store can be reached; throws otherwise (a readiness probe).</summary>
    Task Ping();

    /// <summary>Up to <paramref name="maxCount"/> retained events with a sequence above <paramref name="afterSequence"/>, in order.</summary>
    Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount);

    /// <summary>
    /// Applies retention to a finished log: keeps only its last <paramref name="keepEvents"/> events (0 keeps all)
    /// and removes it entirely after <paramref name="timeToLive"/>, its artifacts with it.
    /// </summary>
    Task Retain(string executionId, int keepEvents, TimeSpan timeToLive);

    /// <summary>
    /// Stores values the log's events refer to (written before those events, so a reference always resolves).
    /// Named by content, so writing one again changes nothing. They live as long as the log.
    /// </summary>
    Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts);

    /// <summary>An artifact's bytes, or null when the log has none of that name.</summary>
    Task<byte[]?> ReadArtifact(string executionId, string sha256);
}
