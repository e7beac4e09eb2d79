using System.Collections.Immutable;
using Orleans.Agent.Executions;
using Orleans.Runtime;

namespace Orleans.Agent.Execution;

/// <summary>
/// A user's executions, ordered by id. Execution ids are version-7 GUIDs, so id order is creation order. The
/// index keeps the newest <see cref="MaxEntries"/>; older executions still exist but drop off the list.
/// </summary>
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

        await index.WriteStateAsync();
    }

    public Task<ExecutionList> List(string? cursor, int limit)
    {
        var entries = index.State.Entries;
        var end = cursor is null ? entries.Count : LowerBound(entries, cursor);
        var start = Math.Max(0, end - Math.Clamp(limit, 1, 100));
        var items = entries.GetRange(start, end - start).AsEnumerable().Reverse().ToImmutableArray();
        return Task.FromResult(new ExecutionList(items, start > 0 ? items[^1].ExecutionId : null));
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
