using Orleans.Agent.LiveText;

namespace Orleans.Agent.Executions;

/// <summary>
/// One agent execution, keyed by its execution id. It owns the execution's event log and runs its loop.
/// Every call names the user making it: the grain answers only its owner (null means "not found", which
/// the API turns into 404 whether the execution does not exist or belongs to someone else).
/// </summary>
public interface IExecutionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts the execution for <paramref name="ownerId"/> and returns at once; the loop runs in the background.
    /// Starting an execution that already exists returns its snapshot without starting it again.
    /// </summary>
    Task<ExecutionSnapshot> Start(string ownerId, ExecutionRequest request);

    /// <summary>
    /// Reads up to <paramref name="maxCount"/> events with a sequence greater than <paramref name="afterSequence"/>.
    /// Null when the execution does not exist or <paramref name="requesterId"/> does not own it.
    /// </summary>
    Task<EventPage?> ReadEvents(string requesterId, long afterSequence, int maxCount);

    /// <summary>
    /// Pushes every event made durable from now on to <paramref name="watcher"/> until <see cref="Unwatch"/>, the
    /// terminal event or the end of this activation, and with <paramref name="texts"/> every piece of text written
    /// too. Returns the texts being written now (each whole, at offset 0; none without <paramref name="texts"/>),
    /// which the pushed pieces continue; null when not found or not owned by <paramref name="requesterId"/>.
    /// Idempotent: watching again (say, with texts now) gets the texts again.
    /// </summary>
    Task<LiveTextBatch?> Watch(string requesterId, IExecutionWatcher watcher, bool texts = false);

    /// <summary>
    /// Publishes every event made durable from now on, batch by batch, on the execution's Orleans stream
    /// (<see cref="AgentStreams"/>) for the rest of this activation. A stream subscriber calls it after subscribing
    /// (and again after a failover); an execution nobody follows this way publishes nothing. False when not found or
    /// not owned by <paramref name="requesterId"/>.
    /// </summary>
    Task<bool> FollowStream(string requesterId);

    /// <summary>Stops pushing to <paramref name="watcher"/>. Not needed once the terminal event was pushed: the watch ended with it.</summary>
    Task Unwatch(IExecutionWatcher watcher);

    /// <summary>The current snapshot, or null when not found or not owned by <paramref name="requesterId"/>.</summary>
    Task<ExecutionSnapshot?> GetSnapshot(string requesterId);

    /// <summary>
    /// Stops the loop (cancelling the model call and the running tool) and ends the execution with exactly one
    /// <c>execution:cancelled</c> event, unless another terminal event came first. Idempotent.
    /// Null when not found or not owned by <paramref name="requesterId"/>.
    /// </summary>
    Task<CancelResult?> Cancel(string requesterId, string? reason);

    /// <summary>The files in the execution's workspace; null when not found or not owned by <paramref name="requesterId"/>.</summary>
    Task<IReadOnlyList<WorkspaceFile>?> ListFiles(string requesterId);

    /// <summary>One workspace file; null when the execution is not found or not owned by <paramref name="requesterId"/>.</summary>
    Task<WorkspaceRead?> ReadFile(string requesterId, string path);

    /// <summary>
    /// A value an event refers to (<see cref="Events.ArtifactReference"/>) by its SHA-256; null when the execution is
    /// not found or not owned by <paramref name="requesterId"/>.
    /// </summary>
    Task<ArtifactRead?> ReadArtifact(string requesterId, string sha256);
}
