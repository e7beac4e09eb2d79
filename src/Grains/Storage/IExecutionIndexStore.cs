using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Each user's executions, ordered by id (version-7 GUIDs: creation order), newest first when listed. A record
/// writes one entry, never the whole index: a user with thousands of executions pays the same per start as a new one.
/// </summary>
public interface IExecutionIndexStore
{
    /// <summary>Most entries kept per user; older executions still exist but drop off the list.</summary>
    public const int MaxEntriesPerUser = 10_000;

    /// <summary>Adds or replaces one execution's entry.</summary>
    Task Record(string userId, ExecutionSummary summary);

    /// <summary>Up to <paramref name="limit"/> entries older than the <paramref name="cursor"/> execution id (or the newest), newest first.</summary>
    Task<ExecutionList> List(string userId, string? cursor, int limit);
}
