using System.Collections.Immutable;
using Orleans.Agent.Executions;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Orleans.Agent.Execution;

/// <summary>
/// A user's executions, ordered by id. Execution ids are version-7 GUIDs, so id order is creation order. The
/// index keeps the newest <see cref="MaxEntries"/>; older executions still exist but drop off the list.
/// The state is one document, rewritten whole, so writes are group-committed: calls interleave (the grain is
/// reentrant), and every record made while a write is in flight is made durable by the one write that follows it.
/// A user starting hundreds of executions a second thus costs a few writes a second, not one per start.
/// </summary>
[Reentrant]
public sealed class UserExecutionsGrain(
    [PersistentState("index", ExecutionStorage.Name)] IPersistentState<UserExecutionsState> index) : Grain, IUserExecutionsGrain
{
    public const int MaxEntries = 10_000;

    public async Task Record(ExecutionSummary summary)
    {
        var entries = index.State.Entries;
        var at = entries.BinarySearch(summary, ById.Instance);
        if (at >= 0)
        {
            entries[at] = summary;
        }
        else
        {
            entries.Insert(~at, summary);
            if (entries.Count > MaxEntries)
            {
                entries.RemoveAt(0);
            }
        }

        await Persist();
    }

    public Task<ExecutionList> List(string? cursor, int limit)
    {
        var entries = index.State.Entries;
        var end = cursor is null ? entries.Count : LowerBound(entries, cursor);
        var start = Math.Max(0, end - Math.Clamp(limit, 1, 100));
        var items = entries.GetRange(start, end - start).AsEnumerable().Reverse().ToImmutableArray();
        return Task.FromResult(new ExecutionList(items, start > 0 ? items[^1].ExecutionId : null));
    }

    private Task? _writing;
    private Task? _nextWrite;

    /// <summary>Completes once a write that started after this call's change is durable.</summary>
    private Task Persist()
    {
        if (_writing is null or { IsCompleted: true })
        {
            return _writing = index.WriteStateAsync();
        }

        return _nextWrite ??= WriteAfter(_writing);
    }

    private async Task WriteAfter(Task inFlight)
    {
        // Its own callers see its failure; this write goes ahead regardless.
        await inFlight.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        _nextWrite = null; // changes from here on need the write after this one
        _writing = index.WriteStateAsync();
        await _writing;
    }

    private static int LowerBound(List<ExecutionSummary> entries, string executionId)
    {
        var at = entries.BinarySearch(new ExecutionSummary(executionId, "", default, default), ById.Instance);
        return at >= 0 ? at : ~at;
    }

    private sealed class ById : IComparer<ExecutionSummary>
    {
        public static readonly ById Instance = new();

        public int Compare(ExecutionSummary? x, ExecutionSummary? y) => string.CompareOrdinal(x?.ExecutionId, y?.ExecutionId);
    }
}

/// <summary>The persisted index: summaries sorted by execution id.</summary>
[GenerateSerializer]
public sealed class UserExecutionsState
{
    [Id(0)] public List<ExecutionSummary> Entries { get; set; } = [];
}
