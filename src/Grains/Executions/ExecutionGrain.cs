using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Agents;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Observability;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Workspaces;
using Orleans.Placement;
using Orleans.Runtime;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// One agent execution. It numbers every event, makes it durable in the log store and only then pushes it to the API
/// nodes watching it (and to its stream's subscribers, if any). It runs the agent loop as a background task on its own
/// scheduler, so reads, snapshots and cancel interleave with the loop between its awaits.
/// Appends are group-committed: emitting only queues an event (its sequence fixed at once); one flush at a time
/// writes everything queued in a single store call, then folds, pushes and releases the waiters. The loop thus
/// never pays a storage round trip per event, and the log, the snapshot and the live path see one order.
/// Executions are placed by activation count: they are long-lived and alike, and a burst of starts went to one silo
/// under Orleans' default (resource-optimised, preferring the silo that took the request) while its statistics lagged.
/// </summary>
[ActivationCountBasedPlacement]
public sealed partial class ExecutionGrain(
    [PersistentState("execution", ExecutionStorage.Name)] IPersistentState<ExecutionState> state,
    IExecutionLogStore store,
    IAgentRunner agent,
    IOptions<StorageOptions> storageOptions,
    IOptions<AgentSiloOptions> siloOptions,
    IOptions<WorkspaceOptions> workspaceOptions,
    IOptions<EventOptions> eventOptions,
    IHostEnvironment environment,
    LocalWatchers localWatchers,
    ExecutionMetrics metrics,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain, IRemindable, IDisposable
{
    /// <summary>Most events a single read returns; readers page with the last sequence they got.</summary>
    public const int MaxPageSize = 1_000;

    /// <summary>
    /// Most bytes (estimated, see <see cref="EventSize"/>) a single read returns, beyond its first event: an API node
    /// holds one page per connection catching up, so N clients reading a long log cost N pages, not N logs.
    /// </summary>
    public const int MaxPageBytes = 256 * 1024;

    /// <summary>
    /// The events' estimated bytes in one stream message, and the most one event may have to go on the stream at all:
    /// estimates count characters, and up to three bytes each stays under the memory queue's 1 MiB cache block.
    /// </summary>
    public const long StreamMessageBytes = 128 * 1024, StreamEventBytes = 256 * 1024;

    private const string DefaultCancelReason = "Cancelled by the user.";

    private static readonly TimeSpan ResumePeriod = TimeSpan.FromMinutes(1);

    /// <summary>
    /// While running, a reminder (which survives silo failure) reactivates the execution elsewhere if its silo dies
    /// and nobody is watching; any call, such as a stream's log read, does the same sooner.
    /// </summary>
    private const string ResumeReminder = "resume";

    /// <summary>Events queued but not yet durable beyond which emitting waits for the flush (back-pressure).</summary>
    private const int MaxPendingEvents = 512;

    private readonly List<AgentEvent> _events = [];
    private readonly List<AgentEvent> _pending = [];
    private TaskCompletionSource? _pendingDurable; // completes once every event now in _pending is durable
    private Task? _flushing;
    private long _nextSequence = 1;
    private bool _sealed; // a terminal event is queued or durable: nothing may follow it
    // The snapshot as of _folded.LastSequence; the durable events after it (the tail of _events) are folded in when
    // it is read (Snapshot), rather than into a new snapshot per flushed batch that hardly anyone reads.
    private ExecutionSnapshot? _folded;
    private CancellationTokenSource? _loopCancellation;
    private Task? _loop;

    // Orleans does not order separate calls, so a cancel can overtake the start it follows. It is remembered (for
    // this activation, by requester, a few at most) and honoured if that user then starts the execution.
    private const int MaxCancelsBeforeStart = 8;
    private readonly Dictionary<string, string?> _cancelsBeforeStart = new(StringComparer.Ordinal);

    private string? _executionId;

    // Store faults (ExecutionGrain.EventLog): see LogAppender.
    private LogAppender? _appender;
    private bool _storeFailureLogged;
    private bool _recordsLost; // the grain state, reminder or list entry were lost or refused: write them again

    // The resume reminder as this activation registered it: unregistering it needs no lookup. Null in an activation
    // that resumed the execution (its reminder was registered by the one before).
    private IGrainReminder? _resumeReminder;

    // Orleans decodes the key into a new string on every GetPrimaryKeyString call, and every event carries the id:
    // one string per activation instead of one per event, in the log and in memory.
    private string ExecutionId => _executionId ??= this.GetPrimaryKeyString();

    private LogAppender Appender => _appender ??= new LogAppender(store, ExecutionId, TimeProvider.System, LogAppender.DefaultBackoff, metrics);

    private ExecutionWorkspace Workspace => ExecutionWorkspace.For(ExecutionId, workspaceOptions.Value);

    /// <summary>The log's summary up to its last durable event; null before the execution starts.</summary>
    private ExecutionSnapshot? Snapshot
    {
        get
        {
            if (_folded is { } folded && _events.Count > 0 && _events[^1].Sequence > folded.LastSequence)
            {
                // _events holds every durable event after the last fold (a trimmed log's snapshot covers all of it).
                var since = (int)(folded.LastSequence + 1 - _events[0].Sequence);
                _folded = ExecutionSnapshotFold.Apply(folded, CollectionsMarshal.AsSpan(_events)[since..]);
            }

            return _folded;
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (siloOptions.Value.PublishesAlways)
        {
            PublishOnStreamFromNowOn();
        }

        if (state.State.GetRequest() is not { } request)
        {
            return;
        }

        IReadOnlyList<AgentEvent> page;
        do
        {
            page = await StoreFaults.Guard(() => store.Read(ExecutionId, LastDurableSequence, MaxPageSize));
            _events.AddRange(page);
        }
        while (page.Count == MaxPageSize);

        // A finished log may have been trimmed by retention: its final snapshot was saved for that.
        var snapshot = _folded = state.State.FinalSnapshot
            ?? ExecutionSnapshotFold.Apply(ExecutionSnapshotFold.Initial(ExecutionId, request, state.State.CreatedAt), CollectionsMarshal.AsSpan(_events));
        _nextSequence = Math.Max(LastDurableSequence, snapshot.LastSequence) + 1;
        _sealed = snapshot.IsTerminal;
        if (!_sealed)
        {
            // The activation that ran this execution is gone (its silo died): continue after the durable events.
            LogResuming(ExecutionId, LastDurableSequence);
            state.State.Runs++; // a new epoch: the texts the last run was writing are withdrawn
            await StoreFaults.Guard(WriteState);
            StartLoop(request, await StoreFaults.Guard(() => PayloadPolicy.Restore(_events, sha256 => store.ReadArtifact(ExecutionId, sha256))));
        }
    }

    /// <summary>
    /// Activating was the point: a running execution resumed in <see cref="OnActivateAsync"/>. A finished execution
    /// keeps no reminder, so one still ticking was left behind (its silo died between the terminal event and the
    /// unregister, or the unregister failed): it is removed now instead of reactivating the grain every minute.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ResumeReminder && Snapshot is { IsTerminal: true })
        {
            await UnregisterResumeReminder();
        }
    }

    /// <summary>
    /// Resuming elsewhere needs a log that outlives the silo: on the memory store the events die with it, so a reminder
    /// would only cost every start a registration and every running execution a timer.
    /// </summary>
    private bool KeepsResumeReminder => storageOptions.Value.IsDurable;

    private async Task UnregisterResumeReminder()
    {
        if (!KeepsResumeReminder)
        {
            return;
        }

        if ((_resumeReminder ?? await this.GetReminder(ResumeReminder)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _resumeReminder = null;
    }

    public async Task<ExecutionSnapshot> Start(string ownerId, ExecutionRequest request)
    {
        if (Snapshot is { } existing)
        {
            return state.State.OwnerId == ownerId
                ? existing
                : throw new InvalidOperationException($"Execution {ExecutionId} already exists.");
        }

        state.State.OwnerId = ownerId;
        state.State.SetRequest(request);
        state.State.CreatedAt = DateTimeOffset.UtcNow;
        state.State.Runs = 1;
        await WriteState();
        var initial = _folded = ExecutionSnapshotFold.Initial(ExecutionId, request, state.State.CreatedAt);
        metrics.Started();
        var recorded = RecordSummary(initial with { Status = ExecutionStatus.Running });
        if (_cancelsBeforeStart.TryGetValue(ownerId, out var earlyReason))
        {
            await recorded;
            await TryAppendDurably(new ExecutionCancelledData(earlyReason ?? DefaultCancelReason, ownerId));
            LogCancelled(ExecutionId, ownerId);
            return Snapshot!;
        }

        // The owner's index and the resume reminder are independent: wait for both round trips at once, not in turn
        // (the POST waits for this, and so does the client's first event). The state is written, so the execution
        // exists: a reminder the store refuses now is registered again once its log can be written.
        var reminder = KeepsResumeReminder ? this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod) : null;
        await recorded;
        try
        {
            _resumeReminder = reminder is null ? null : await reminder;
        }
        catch (Exception ex)
        {
            LogRecordsFailed(ex, ExecutionId);
            _recordsLost = true;
        }

        StartLoop(request, []);
        LogStarted(ExecutionId, ownerId);
        return Snapshot!;
    }

    private void StartLoop(ExecutionRequest request, IReadOnlyList<AgentEvent> history)
    {
        _loopCancellation = new CancellationTokenSource();
        // A running execution is never collected as idle, however long its model or tool takes; a finished one is,
        // after Silo:ExecutionIdleTime (RunLoop lifts this).
        this.DelayDeactivation(TimeSpan.MaxValue);
        metrics.LoopStarted();
        _loop = RunLoop(request, history, _loopCancellation.Token);
    }

    public Task<EventPage?> ReadEvents(string requesterId, long afterSequence, int maxCount)
    {
        if (!IsOwner(requesterId))
        {
            return Task.FromResult<EventPage?>(null);
        }

        // Only durable events are visible: queued ones may still fail to be written and must never have been seen.
        var first = _events.Count == 0 ? LastDurableSequence + 1 : _events[0].Sequence;
        var start = (int)Math.Clamp(afterSequence + 1 - first, 0, _events.Count);
        var count = Math.Min(Math.Clamp(maxCount, 1, MaxPageSize), _events.Count - start);
        var page = CollectionsMarshal.AsSpan(_events).Slice(start, count);
        var events = ImmutableArray.Create<AgentEvent>(page[..EventSize.Fit(page, MaxPageBytes)]); // one copy, not two
        return Task.FromResult<EventPage?>(new EventPage(events, LastDurableSequence, Snapshot!.IsTerminal, first));
    }

    public Task<ExecutionSnapshot?> GetSnapshot(string requesterId) =>
        Task.FromResult(IsOwner(requesterId) ? Snapshot : null);

    public async Task<CancelResult?> Cancel(string requesterId, string? reason)
    {
        if (_folded is null)
        {
            if (_cancelsBeforeStart.Count < MaxCancelsBeforeStart)
            {
                _cancelsBeforeStart.TryAdd(requesterId, reason);
            }

            return null;
        }

        if (!IsOwner(requesterId))
        {
            return null;
        }

        if (!_sealed)
        {
            await (_loopCancellation?.CancelAsync() ?? Task.CompletedTask);
        }

        var cancelled = !_sealed;
        if (cancelled)
        {
            _ = Append(new ExecutionCancelledData(reason ?? DefaultCancelReason, requesterId));
            LogCancelled(ExecutionId, requesterId);
        }

        // So the status reported is the terminal one, whoever sealed the log. While the store is down the cancel
        // stays queued and is written when it is back; the caller hears so now, not after the outage.
        try
        {
            await WhenDurable().WaitAsync(StoreUnavailableException.CallBound);
        }
        catch (TimeoutException)
        {
            throw new StoreUnavailableException($"The cancel of execution {ExecutionId} is recorded; the event store is unavailable, so it is not yet durable.");
        }

        return new CancelResult(cancelled, Snapshot!.Status);
    }

    public Task<IReadOnlyList<WorkspaceFile>?> ListFiles(string requesterId) =>
        Task.FromResult(IsOwner(requesterId) ? Workspace.List() : null);

    public async Task<WorkspaceRead?> ReadFile(string requesterId, string path)
    {
        if (!IsOwner(requesterId))
        {
            return null;
        }

        try
        {
            return new WorkspaceRead(await Workspace.ReadBytes(path, CancellationToken.None), null);
        }
        catch (WorkspaceException ex)
        {
            return new WorkspaceRead(null, ex.Message);
        }
    }

    public async Task<ArtifactRead?> ReadArtifact(string requesterId, string sha256) =>
        IsOwner(requesterId) ? new ArtifactRead(await StoreFaults.Guard(() => store.ReadArtifact(ExecutionId, sha256))) : null;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loop is { IsCompleted: false } loop)
        {
            // Hand the execution on: stop the loop without a terminal event, keep what is durable, and let the
            // reminder (or the next call) resume it on another activation after its last durable event.
            LogHandingOn(ExecutionId, reason.Description);
            await _loopCancellation!.CancelAsync();
            if (_appender is { InTrouble: true } appender)
            {
                appender.GiveUp(); // nothing queued is durable or seen: the next activation continues without it
            }

            await loop;
        }

        if (_appender is { } writer)
        {
            // A store that stops answering now does not hold the silo's shutdown past Orleans' deactivation timeout.
            await using var stop = cancellationToken.Register(static appender => ((LogAppender)appender!).GiveUp(), writer);
            await WhenDurable();
        }
    }

    private async Task RunLoop(ExecutionRequest request, IReadOnlyList<AgentEvent> history, CancellationToken cancellationToken)
    {
        // Return to the caller first; everything below runs in later turns of this activation.
        await Task.Yield();
        var emit = new ExecutionEventEmitter(data => Append(data), WhenDurable, metrics, WriteText);
        emit.Restore(history);
        using var span = AgentTelemetry.StartRun(request.TraceParent, ExecutionId, history.Count == 0 ? 0 : history[^1].Sequence);
        try
        {
            if (Snapshot!.StartedAt is null)
            {
                await emit.Started(request.Task, DateTimeOffset.UtcNow, Snapshot.TraceId);
            }

            var outcome = await agent.Run(ExecutionId, request, emit, history, cancellationToken);
            var durationMs = (long)(DateTimeOffset.UtcNow - (Snapshot.StartedAt ?? state.State.CreatedAt)).TotalMilliseconds;
            await emit.Complete(outcome.Result, durationMs, outcome.TokensUsed);
            await WhenDurable();
            LogCompleted(ExecutionId, durationMs, Snapshot!.LastSequence);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _sealed)
        {
            // Whoever cancelled has appended (or is appending) the terminal event.
        }
        catch (Exception ex)
        {
            LogFailed(ex, ExecutionId);
            span.Fail(ex is AgentFailureException known ? known.Error.Code : ex.GetType().Name, ex.Message);
            var stack = environment.IsDevelopment() ? ex.ToString() : null;
            var error = ex is AgentFailureException failure ? failure.Error with { Stack = stack } : ExecutionFailures.Unexpected(ex, stack);
            await TryAppendDurably(error);
        }
        finally
        {
            metrics.LoopEnded();
            await WhenDurable();
            this.DelayDeactivation(TimeSpan.Zero); // zero or less cancels the delay set in StartLoop
        }
    }

    public void Dispose() => _loopCancellation?.Dispose();

    private bool IsOwner(string requesterId) => _folded is not null && state.State.OwnerId == requesterId;
}
