using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

/// <summary>A node's read side on fakes: a hub over a fake live path and one fake grain, and events to feed it.</summary>
public static class FakeNode
{
    public static (ExecutionStreamHub Hub, FakeLiveSource Source, FakeExecutionGrain Grain) Create()
    {
        var source = new FakeLiveSource();
        var grain = new FakeExecutionGrain();
        return (new ExecutionStreamHub(source, _ => grain, NullLogger<ExecutionStreamHub>.Instance), source, grain);
    }

    public static AgentEvent Event(long sequence, bool terminal = false) => terminal
        ? new AgentEvent("e", sequence, AgentEventTypes.ExecutionCancelled, DateTimeOffset.UnixEpoch, new ExecutionCancelledData("stop", "alice"))
        : new AgentEvent("e", sequence, AgentEventTypes.Thinking, DateTimeOffset.UnixEpoch, new ThinkingData("x", 1));
}

/// <summary>Records what the hub asks of the live path, and delivers batches to the attached target by hand.</summary>
public sealed class FakeLiveSource : ILiveSource
{
    private readonly Dictionary<string, IExecutionWatcher> _targets = [];
    private readonly Dictionary<string, int> _attaches = [];
    private readonly Dictionary<string, int> _renews = [];
    private readonly Dictionary<string, List<bool>> _detaches = [];

    public bool FailNextAttach { get; set; }

    public int RenewFailures { get; set; }

    public int Attaches(string id) { lock (this) { return _attaches.GetValueOrDefault(id); } }

    public int Renews(string id) { lock (this) { return _renews.GetValueOrDefault(id); } }

    public int Detaches(string id) { lock (this) { return _detaches.GetValueOrDefault(id)?.Count ?? 0; } }

    public List<bool> DetachedWith(string id) { lock (this) { return _detaches.GetValueOrDefault(id) ?? []; } }

    public Task Deliver(string id, params AgentEvent[] events) => _targets[id].OnEvents([.. events]);

    public Task<ILiveAttachment> Attach(string executionId, string userId, IExecutionWatcher target, bool texts)
    {
        lock (this)
        {
            _attaches[executionId] = _attaches.GetValueOrDefault(executionId) + 1;
            if (FailNextAttach)
            {
                FailNextAttach = false;
                return Task.FromException<ILiveAttachment>(new OrleansException("attach failed"));
            }

            _targets[executionId] = target;
            return Task.FromResult<ILiveAttachment>(new Attachment(this, executionId));
        }
    }

    private sealed class Attachment(FakeLiveSource source, string id) : ILiveAttachment
    {
        public Task Renew()
        {
            lock (source)
            {
                source._renews[id] = source._renews.GetValueOrDefault(id) + 1;
                if (source.RenewFailures > 0)
                {
                    source.RenewFailures--;
                    return Task.FromException(new OrleansException("no silo answered"));
                }
            }

            return Task.CompletedTask;
        }

        public Task IncludeTexts() => Task.CompletedTask;

        public Task Detach(bool ended)
        {
            lock (source)
            {
                (source._detaches.TryGetValue(id, out var list) ? list : source._detaches[id] = []).Add(ended);
            }

            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// An execution grain with an in-memory log owned by "alice": what the read side calls (log reads, the snapshot), and
/// nothing else. <see cref="AfterRead"/> runs after each read, to append in the window between a read and a join.
/// </summary>
public sealed class FakeExecutionGrain : IExecutionGrain
{
    public const string Owner = "alice";

    private readonly List<AgentEvent> _log = [];
    private int _snapshotCalls;
    private long _lastSequence;

    /// <summary>The log's end: its last event's sequence, or what a test set for an empty log.</summary>
    public long LastSequence
    {
        get { lock (_log) { return _log.Count > 0 ? _log[^1].Sequence : _lastSequence; } }
        set => _lastSequence = value;
    }

    /// <summary>The first sequence still retained (retention trims a finished log's head).</summary>
    public long FirstRetained { get; set; } = 1;

    public Exception? SnapshotFailure { get; set; }

    public Action? AfterRead { get; set; }

    public int SnapshotCalls => Volatile.Read(ref _snapshotCalls);

    public int Reads { get; private set; }

    public bool IsTerminal { get { lock (_log) { return _log.Count > 0 && _log[^1].IsTerminal; } } }

    public void Append(params AgentEvent[] events)
    {
        lock (_log)
        {
            _log.AddRange(events);
        }
    }

    public Task<EventPage?> ReadEvents(string requesterId, long afterSequence, int maxCount)
    {
        if (requesterId != Owner)
        {
            return Task.FromResult<EventPage?>(null);
        }

        EventPage page;
        lock (_log)
        {
            Reads++;
            var events = _log.Where(e => e.Sequence > afterSequence && e.Sequence >= FirstRetained).Take(maxCount).ToImmutableArray();
            page = new EventPage(events, LastSequence, IsTerminal, FirstRetained);
        }

        AfterRead?.Invoke();
        return Task.FromResult<EventPage?>(page);
    }

    public Task<ExecutionSnapshot?> GetSnapshot(string requesterId)
    {
        Interlocked.Increment(ref _snapshotCalls);
        if (SnapshotFailure is { } failure)
        {
            return Task.FromException<ExecutionSnapshot?>(failure);
        }

        var status = IsTerminal ? ExecutionStatus.Completed : ExecutionStatus.Running;
        return Task.FromResult(requesterId == Owner ? new ExecutionSnapshot("e", status, "t", DateTimeOffset.UnixEpoch, LastSequence) : null);
    }

    public Task<ExecutionSnapshot> Start(string ownerId, ExecutionRequest request) => throw new NotSupportedException();

    public Task<LiveTextBatch?> Watch(string requesterId, IExecutionWatcher watcher, bool texts) => throw new NotSupportedException();

    public Task<bool> FollowStream(string requesterId) => throw new NotSupportedException();

    public Task Unwatch(IExecutionWatcher watcher) => throw new NotSupportedException();

    public Task<CancelResult?> Cancel(string requesterId, string? reason) => throw new NotSupportedException();

    public Task<IReadOnlyList<WorkspaceFile>?> ListFiles(string requesterId) => throw new NotSupportedException();

    public Task<WorkspaceRead?> ReadFile(string requesterId, string path) => throw new NotSupportedException();

    public Task<ArtifactRead?> ReadArtifact(string requesterId, string sha256) => throw new NotSupportedException();
}
