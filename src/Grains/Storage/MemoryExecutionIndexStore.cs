using System.Collections.Immutable;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Storage;

/// <summary>The index in the silo's memory, for local development: lost with the process, like every memory store.</summary>
public sealed class MemoryExecutionIndexStore(int maxEntriesPerUser = IExecutionIndexStore.MaxEntriesPerUser) : IExecutionIndexStore
{
    private readonly Dictionary<string, SortedList<string, ExecutionSummary>> _users = new(StringComparer.Ordinal);

    public Task Record(string userId, ExecutionSummary summary)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(userId, out var entries))
            {
                _users[userId] = entries = new SortedList<string, ExecutionSummary>(StringComparer.Ordinal);
            }

            entries[summary.ExecutionId] = summary;
            if (entries.Count > maxEntriesPerUser)
            {
                entries.RemoveAt(0);
            }
        }

        return Task.CompletedTask;
    }

    public Task<ExecutionList> List(string userId, string? cursor, int limit)
    {
        lock (_users)
        {
            if (!_users.TryGetValue(userId, out var entries))
            {
                return Task.FromResult(new ExecutionList([], null));
            }

            var end = cursor is null ? entries.Count : LowerBound(entries.Keys, cursor);
            var start = Math.Max(0, end - Math.Clamp(limit, 1, 100));
            var items = Enumerable.Range(start, end - start).Reverse().Select(i => entries.Values[i]).ToImmutableArray();
            return Task.FromResult(new ExecutionList(items, start > 0 ? items[^1].ExecutionId : null));
        }
    }

    /// <summary>The position of the first key not below <paramref name="key"/>.</summary>
    private static int LowerBound(IList<string> keys, string key)
    {
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(keys[middle], key) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
