using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Agent.Agent;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Workspaces;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Execution;

/// <summary>
/// One agent execution. It owns the event log (persistent state), numbers every event, publishes each one on the
/// execution's stream after it is durable, and runs the agent loop as a background task on its own scheduler, so
/// reads, snapshots and cancel interleave with the loop between its awaits.
/// </summary>
public sealed partial class ExecutionGrain(
    [PersistentState("log", ExecutionStorage.Name)] IPersistentState<ExecutionLogState> log,
    IAgentRunner agent,
    IOptions<WorkspaceOptions> workspaceOptions,
    IHostEnvironment environment,
    ILogger<ExecutionGrain> logger) : Grain, IExecutionGrain, IDisposable
{
    /// <summary>Most events a single read returns; readers page with the last sequence they got.</summary>
    public const int MaxPageSize = 1_000;

    private const string DefaultCancelReason = "Cancelled by the user.";

    private static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);

    // Appends are strictly one at a time: the loop and a cancel may both emit, and both the log order and the
    // publish order must be the sequence order.
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private ExecutionSnapshot? _snapshot;
    private int _durableCount;
    private IAsyncStream<AgentEvent>? _stream;
    private CancellationTokenSource? _loopCancellation;
    private Task? _loop;
    private IGrainTimer? _keepAlive;

    // Orleans does not order separate calls, so a cancel can overtake the start it follows. It is remembered (for
    // this activation, by requester, a few at most) and honoured if that user then starts the execution.
    private const int MaxCancelsBeforeStart = 8;
    private readonly Dictionary<string, string?> _cancelsBeforeStart = new(StringComparer.Ordinal);

    private string ExecutionId => this.GetPrimaryKeyString();

    private ExecutionWorkspace Workspace => ExecutionWorkspace.For(ExecutionId, workspaceOptions.Value);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _stream = this.GetStreamProvider(AgentStreams.ProviderName)
            .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, ExecutionId));
        if (log.State.Request is { } request)
        {
            _snapshot = ExecutionSnapshotFold.Replay(
                ExecutionSnapshotFold.Initial(ExecutionId, request, log.State.CreatedAt), log.State.Events);
            _durableCount = log.State.Events.Count;
        }

        return Task.CompletedTask;
    }

    public async Task<ExecutionSnapshot> Start(string ownerId, ExecutionRequest request)
    {
        if (_snapshot is not null)
        {
            return log.State.OwnerId == ownerId
                ? _snapshot
                : throw new InvalidOperationException($"Execution {ExecutionId} already exists.");
        }

        log.State.OwnerId = ownerId;
        log.State.Request = request;
        log.State.CreatedAt = DateTimeOffset.UtcNow;
        await log.WriteStateAsync();
        _snapshot = ExecutionSnapshotFold.Initial(ExecutionId, request, log.State.CreatedAt);
        await RecordSummary(ExecutionStatus.Running);
        if (_cancelsBeforeStart.TryGetValue(ownerId, out var earlyReason))
        {
            await TryAppend(new ExecutionCancelledData(earlyReason ?? DefaultCancelReason, ownerId));
            LogCancelled(ExecutionId, ownerId);
            return _snapshot;
        }

        _loopCancellation = new CancellationTokenSource();
        _keepAlive = this.RegisterGrainTimer(
            static _ => Task.CompletedTask,
            new GrainTimerCreationOptions(KeepAlivePeriod, KeepAlivePeriod) { KeepAlive = true, Interleave = true });
        _loop = RunLoop(request, _loopCancellation.Token);
        LogStarted(ExecutionId, ownerId);
        return _snapshot;
    }

    public Task<EventPage?> ReadEvents(string requesterId, long afterSequence, int maxCount)
    {
        if (!IsOwner(requesterId))
        {
            return Task.FromResult<EventPage?>(null);
        }

        // Only durable events are visible: an append whose write fails is rolled back and must never have been seen.
        var start = (int)Math.Clamp(afterSequence, 0, _durableCount);
        var count = Math.Min(Math.Clamp(maxCount, 1, MaxPageSize), _durableCount - start);
        var events = log.State.Events.GetRange(start, count).ToImmutableArray();
        return Task.FromResult<EventPage?>(new EventPage(events, _durableCount, _snapshot!.IsTerminal));
    }

    public Task<ExecutionSnapshot?> GetSnapshot(string requesterId) =>
        Task.FromResult(IsOwner(requesterId) ? _snapshot : null);

    public async Task<CancelResult?> Cancel(string requesterId, string? reason)
    {
        if (_snapshot is null)
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

        if (_snapshot.IsTerminal)
        {
            return new CancelResult(false, _snapshot.Status);
        }

        await (_loopCancellation?.CancelAsync() ?? Task.CompletedTask);
        var cancelled = await TryAppend(new ExecutionCancelledData(reason ?? DefaultCancelReason, requesterId));
        if (cancelled)
        {
            LogCancelled(ExecutionId, requesterId);
        }

        return new CancelResult(cancelled, _snapshot.Status);
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

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_loop is { IsCompleted: false } loop)
        {
            // Resuming on another activation comes with the cluster work; until then the execution ends visibly
            // instead of staying "running" for ever.
            await _loopCancellation!.CancelAsync();
            await TryAppend(new ExecutionErrorData(
                $"The execution was interrupted: {reason.Description}", "interrupted", Stack: null));
            await loop;
        }
    }

    private async Task RunLoop(ExecutionRequest request, CancellationToken cancellationToken)
    {
        // Return to Start's caller first; everything below runs in later turns of this activation.
        await Task.Yield();
        var emit = new ExecutionEventEmitter(Append);
        var clock = Stopwatch.StartNew();
        try
        {
            await emit.Started(request.Task, DateTimeOffset.UtcNow);
            var outcome = await agent.Run(ExecutionId, request, emit, cancellationToken);
            await emit.Complete(outcome.Result, clock.ElapsedMilliseconds, outcome.TokensUsed);
            LogCompleted(ExecutionId, clock.ElapsedMilliseconds, _snapshot!.LastSequence);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested || _snapshot!.IsTerminal)
        {
            // Whoever cancelled has appended (or is appending) the terminal event.
        }
        catch (Exception ex)
        {
            LogFailed(ex, ExecutionId);
            var code = ex is AgentFailureException failure ? failure.Code : "agent_failed";
            await TryAppend(new ExecutionErrorData(ex.Message, code, environment.IsDevelopment() ? ex.ToString() : null));
        }
        finally
        {
            _keepAlive?.Dispose();
            _keepAlive = null;
        }
    }

    /// <summary>Appends unless the execution already ended. True when this call appended the event.</summary>
    private async Task<bool> TryAppend(AgentEventData data)
    {
        try
        {
            await Append(data);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Numbers the event, makes it durable, folds it into the snapshot, then publishes it. The stream is only the
    /// fast path: if publishing fails the event is still in the log, where every subscriber fills gaps from.
    /// </summary>
    private async Task Append(AgentEventData data)
    {
        await _appendGate.WaitAsync();
        try
        {
            if (_snapshot!.IsTerminal)
            {
                throw new OperationCanceledException($"Execution {ExecutionId} has already ended.");
            }

            var evt = new AgentEvent(ExecutionId, _durableCount + 1, data.EventType, DateTimeOffset.UtcNow, data);
            log.State.Events.Add(evt);
            try
            {
                await log.WriteStateAsync();
            }
            catch
            {
                log.State.Events.RemoveAt(log.State.Events.Count - 1);
                throw;
            }

            _durableCount++;
            _snapshot = ExecutionSnapshotFold.Apply(_snapshot, evt);
            if (evt.IsTerminal)
            {
                await RecordSummary(_snapshot.Status);
            }

            try
            {
                await _stream!.OnNextAsync(evt);
            }
            catch (Exception ex)
            {
                LogPublishFailed(ex, ExecutionId, evt.Sequence);
            }
        }
        finally
        {
            _appendGate.Release();
        }
    }

    public void Dispose()
    {
        _appendGate.Dispose();
        _loopCancellation?.Dispose();
    }

    /// <summary>Keeps the owner's execution list current. The list is an index, not the truth: a failure is only logged.</summary>
    private async Task RecordSummary(ExecutionStatus status)
    {
        var task = _snapshot!.Task.Length <= 200 ? _snapshot.Task : _snapshot.Task[..200];
        try
        {
            await GrainFactory.GetGrain<IUserExecutionsGrain>(log.State.OwnerId!).Record(
                new ExecutionSummary(ExecutionId, task, _snapshot.CreatedAt, status));
        }
        catch (Exception ex)
        {
            LogIndexFailed(ex, ExecutionId);
        }
    }

    private bool IsOwner(string requesterId) => _snapshot is not null && log.State.OwnerId == requesterId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} started for {OwnerId}")]
    private partial void LogStarted(string executionId, string ownerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} completed in {DurationMs} ms with {EventCount} events")]
    private partial void LogCompleted(string executionId, long durationMs, long eventCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} cancelled by {UserId}")]
    private partial void LogCancelled(string executionId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} failed")]
    private partial void LogFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: updating its owner's execution list failed")]
    private partial void LogIndexFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: publishing event {Sequence} failed; subscribers will read it from the log")]
    private partial void LogPublishFailed(Exception exception, string executionId, long sequence);
}
