using System.Globalization;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// One client's view of one execution: every event after its cursor, in sequence order, each exactly once, ending
/// with the terminal event. The log is the truth and the Orleans stream the fast path: the feed reads the log,
/// joins the node's shared subscription (<see cref="ExecutionStreamHub"/>), reads the log again (covering whatever
/// was appended before the subscription took effect), then forwards live events, dropping ones already delivered
/// and re-reading the log whenever it sees a gap or the stream goes quiet.
/// </summary>
public sealed class ExecutionEventFeed : IAsyncDisposable
{
    /// <summary>Events per log read (the grain caps it at its own page size too).</summary>
    private const int PageSize = 1_000;

    private readonly IExecutionGrain _grain;
    private readonly ExecutionStreamHub _hub;
    private readonly string _executionId;
    private readonly string _userId;
    private readonly SseOptions _options;
    private readonly LiveBuffer _live;
    private IAsyncDisposable? _membership;
    private EventPage? _firstPage;
    private StreamReset? _reset;
    private bool _logMayHaveMore = true;
    private bool _catchingUpAfterSilence;
    private DateTime _lastDelivery = DateTime.UtcNow;
    private Task<bool>? _liveWait;

    private ExecutionEventFeed(
        IExecutionGrain grain, ExecutionStreamHub hub, string executionId, string userId, long afterSequence, EventPage firstPage, StreamReset? reset, SseOptions options)
    {
        _grain = grain;
        _hub = hub;
        _executionId = executionId;
        _userId = userId;
        _options = options;
        _firstPage = firstPage;
        _reset = reset;
        LastSequence = afterSequence;
        _live = new LiveBuffer(options.LiveBufferEvents, options.LiveBufferBytes);
    }

    /// <summary>The sequence of the last event handed out.</summary>
    public long LastSequence { get; private set; }

    /// <summary>True once the terminal event was handed out; nothing follows it.</summary>
    public bool Ended { get; private set; }

    /// <summary>True when this client fell so far behind that its live buffer overflowed: cut it off; it resumes later.</summary>
    public bool TooSlow => _live.Overflowed;

    /// <summary>What to do, at once and from any thread, when this client turns out <see cref="TooSlow"/>.</summary>
    public void OnTooSlow(Action cutOff) => _live.OnOverflow = cutOff;

    /// <summary>
    /// Opens a feed after <paramref name="afterSequence"/>, or returns null when the user may not see the execution.
    /// A cursor that cannot be served (older than the retained log, beyond its end, or <paramref name="malformedCursor"/>)
    /// gives the feed a reset (see <see cref="TakeReset"/>) and moves it to the current snapshot.
    /// </summary>
    public static async Task<ExecutionEventFeed?> Open(
        IClusterClient client, ExecutionStreamHub hub, string executionId, string userId, long afterSequence, string? malformedCursor, SseOptions options)
    {
        var grain = client.GetGrain<IExecutionGrain>(executionId);
        // Read before subscribing: it checks ownership (no subscription for strangers) and is the first back-fill.
        var firstPage = await grain.ReadEvents(userId, afterSequence, PageSize);
        if (firstPage is null)
        {
            return null;
        }

        var resetReason = malformedCursor is not null ? "malformed"
            : afterSequence > firstPage.LastSequence ? "ahead"
            : afterSequence + 1 < firstPage.FirstSequence ? "retention"
            : null;
        StreamReset? reset = null;
        if (resetReason is not null && await grain.GetSnapshot(userId) is { } snapshot)
        {
            reset = new StreamReset(resetReason, malformedCursor ?? afterSequence.ToString(CultureInfo.InvariantCulture), snapshot);
            afterSequence = snapshot.LastSequence;
            firstPage = await grain.ReadEvents(userId, afterSequence, PageSize) ?? firstPage;
        }

        var feed = new ExecutionEventFeed(grain, hub, executionId, userId, afterSequence, firstPage, reset, options);
        if (!firstPage.IsTerminal)
        {
            feed._membership = await hub.Join(executionId, userId, feed._live);
        }

        return feed;
    }

    /// <summary>
    /// A <c>stream:reset</c> to write before the events <see cref="Next"/> returned with it, when the cursor could not
    /// be served (at open, or later if retention trimmed the log under a slow reader). Taken once.
    /// </summary>
    public StreamReset? TakeReset()
    {
        var reset = _reset;
        _reset = null;
        return reset;
    }

    /// <summary>
    /// The next events in order; empty when the feed has been silent for <see cref="SseOptions.HeartbeatInterval"/>
    /// (time for a heartbeat) or is <see cref="TooSlow"/>.
    /// </summary>
    public async Task<IReadOnlyList<SerializedEvent>> Next(CancellationToken cancellationToken)
    {
        if (_firstPage is { } first)
        {
            _firstPage = null;
            _logMayHaveMore = true;
            return Absorb(first);
        }

        while (!TooSlow)
        {
            if (_logMayHaveMore)
            {
                var quietCatchUp = _catchingUpAfterSilence;
                _catchingUpAfterSilence = false;
                var fromLog = await ReadLog();
                if (quietCatchUp && fromLog.Count > 0 && _membership is not null)
                {
                    // The stream was silent while the log moved on: the subscription is lost, not just slow.
                    await _hub.Resubscribe(_executionId);
                }

                if (fromLog.Count > 0 || _reset is not null)
                {
                    return fromLog;
                }
            }

            var wait = Min(_options.CatchUpInterval, _lastDelivery + _options.HeartbeatInterval - DateTime.UtcNow);
            if (wait > TimeSpan.Zero && await WaitForLive(wait, cancellationToken))
            {
                var live = TakeLive();
                if (live.Count > 0)
                {
                    return live;
                }

                continue;
            }

            if (DateTime.UtcNow - _lastDelivery >= _options.HeartbeatInterval)
            {
                _lastDelivery = DateTime.UtcNow;
                return [];
            }

            // Quiet for CatchUpInterval: the live path may have lost an event or the subscription. Read the log if it
            // moved on; whether it did is one probe shared by this node's connections to the execution.
            var logEnd = await _hub.LogEnd(_executionId, _userId, _options.CatchUpInterval / 4);
            if (logEnd is not { } end || end > LastSequence)
            {
                _logMayHaveMore = true;
                _catchingUpAfterSilence = true;
            }
        }

        return [];
    }

    public async ValueTask DisposeAsync()
    {
        _live.Close();
        if (_membership is not null)
        {
            await _membership.DisposeAsync();
        }
    }

    private async Task<IReadOnlyList<SerializedEvent>> ReadLog()
    {
        var page = await _grain.ReadEvents(_userId, LastSequence, PageSize) ?? throw NoLongerVisible();
        if (page.FirstSequence > LastSequence + 1)
        {
            // Retention trimmed what this reader had not read yet: say so, and carry on from the snapshot.
            var snapshot = await _grain.GetSnapshot(_userId) ?? throw NoLongerVisible();
            _reset = new StreamReset("retention", LastSequence.ToString(CultureInfo.InvariantCulture), snapshot);
            LastSequence = snapshot.LastSequence;
            Ended = snapshot.IsTerminal;
            _logMayHaveMore = true;
            return [];
        }

        _logMayHaveMore = page.HasMore;
        return Absorb(page);
    }

    private List<SerializedEvent> Absorb(EventPage page)
    {
        var delivered = Deliver(page.Events.Select(SerializedEvent.From));
        // A cursor at (or past) the end of a finished log: there is nothing left to send, so do not wait for it.
        Ended |= page.IsTerminal && LastSequence >= page.LastSequence;
        return delivered;
    }

    private List<SerializedEvent> TakeLive()
    {
        var events = new List<SerializedEvent>();
        while (_live.TryTake(out var evt))
        {
            if (evt.Sequence <= LastSequence + events.Count)
            {
                continue; // already delivered (from the log, or a duplicate)
            }

            if (evt.Sequence != LastSequence + events.Count + 1)
            {
                _logMayHaveMore = true; // a gap: the missing events and this one are all in the log
                break;
            }

            events.Add(evt);
        }

        return Deliver(events);
    }

    private List<SerializedEvent> Deliver(IEnumerable<SerializedEvent> events)
    {
        var delivered = new List<SerializedEvent>();
        foreach (var evt in events)
        {
            if (Ended || evt.Sequence != LastSequence + 1)
            {
                continue;
            }

            delivered.Add(evt);
            LastSequence = evt.Sequence;
            Ended = evt.Event.IsTerminal;
        }

        if (delivered.Count > 0)
        {
            _lastDelivery = DateTime.UtcNow;
        }

        return delivered;
    }

    /// <summary>True when live events are buffered; false after <paramref name="timeout"/> or once the buffer is closed.</summary>
    private async Task<bool> WaitForLive(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // One wait on the buffer stays outstanding across timeouts, and the timeout is a plain delay, cancelled when
        // the wait wins. Timing out is routine (every quiet connection, every catch-up interval); cancelling the
        // buffer's own wait instead threw an exception each time: 3,900 a second with 19,000 idle connections.
        _liveWait ??= _live.Reader.WaitToReadAsync(cancellationToken).AsTask();
        if (!_liveWait.IsCompleted)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(_liveWait, Task.Delay(timeout, delayCancellation.Token));
            await delayCancellation.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (!_liveWait.IsCompleted)
        {
            return false;
        }

        var wait = _liveWait;
        _liveWait = null;
        return wait.IsCompletedSuccessfully && wait.Result;
    }

    private static InvalidOperationException NoLongerVisible() =>
        new("An execution that was visible is no longer visible to its owner.");

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
