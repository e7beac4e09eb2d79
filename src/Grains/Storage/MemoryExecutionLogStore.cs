using System.Collections.Concurrent;
using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// The local default: logs in this process's memory, gone when it stops. Right for one process (development, tests);
/// a cluster configures Redis.
/// </summary>
public sealed class MemoryExecutionLogStore : IExecutionLogStore
{
    private readonly ConcurrentDictionary<string, List<AgentEvent>> _logs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string ExecutionId, string Sha256), byte[]> _artifacts = new();

    public Task Append(string executionId, IReadOnlyList<AgentEvent> events)
    {
        var log = _logs.GetOrAdd(executionId, _ => []);
        lock (log)
        {
            var last = log.Count == 0 ? 0 : log[^1].Sequence;
            if (events.Count > 0 && events[0].Sequence != last + 1)
            {
                throw new LogConflictException($"Log {executionId} ends at {last}, not {events[0].Sequence - 1}.");
            }

            log.AddRange(events);
        }

        return Task.CompletedTask;
    }

    public Task<long> LastSequence(string executionId)
    {
        if (!_logs.TryGetValue(executionId, out var log))
        {
            return Task.FromResult(0L);
        }

        lock (log)
        {
            return Task.FromResult(log.Count == 0 ? 0 : log[^1].Sequence);
        }
    }

    public Task Ping() => Task.CompletedTask;

    public Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount)
    {
        if (!_logs.TryGetValue(executionId, out var log))
        {
            return Task.FromResult<IReadOnlyList<AgentEvent>>([]);
        }

        lock (log)
        {
            return Task.FromResult<IReadOnlyList<AgentEvent>>(log.Where(e => e.Sequence > afterSequence).Take(maxCount).ToArray());
        }
    }

    public Task Retain(string executionId, int keepEvents, TimeSpan timeToLive)
    {
        if (keepEvents > 0 && _logs.TryGetValue(executionId, out var log))
        {
            lock (log)
            {
                log.RemoveRange(0, Math.Max(0, log.Count - keepEvents));
            }
        }

        // Time-based removal is Redis's job; a memory log lives as long as the process.
        return Task.CompletedTask;
    }

    public Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts)
    {
        foreach (var artifact in artifacts)
        {
            _artifacts.TryAdd((executionId, artifact.Sha256), artifact.Content);
        }

        return Task.CompletedTask;
    }

    public Task<byte[]?> ReadArtifact(string executionId, string sha256) =>
        Task.FromResult(_artifacts.TryGetValue((executionId, sha256), out var content) ? content : null);
}
