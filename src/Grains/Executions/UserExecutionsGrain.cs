using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Concurrency;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// A user's executions, keyed by the user id, kept in <see cref="IExecutionIndexStore"/> one entry at a time. The
/// grain holds no state of its own (it used to keep the index as one document, rewritten whole on every start and
/// finish: half the cost of a start for a user with a long history), so its calls may interleave. It stays one
/// activation per user rather than a stateless worker, because the memory store is per silo.
/// </summary>
[Reentrant]
public sealed class UserExecutionsGrain(IExecutionIndexStore store) : Grain, IUserExecutionsGrain
{
    public Task Record(ExecutionSummary summary) => store.Record(this.GetPrimaryKeyString(), summary);

    public Task<ExecutionList> List(string? cursor, int limit) => store.List(this.GetPrimaryKeyString(), cursor, limit);
}
