using System.Globalization;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// One client's view of one execution: every event after its cursor, in sequence order, each exactly once, ending
/// with the terminal event. It does the I/O of its <see cref="CatchUpPolicy"/>: it reads the log, joins the node's
/// subscription to the execution (<see cref="ExecutionStreamHub"/>), reads the log again if the policy says so
/// (whatever was appended before the subscription took effect), then takes live events from its
/// <see cref="LiveBuffer"/>, reading the log whenever the policy asks. With texts (<c>?deltas=true</c>) it also hands
/// out, once it has caught up with the log, what this client has not got yet of the texts being written.
/// </summary>
public sealed class ExecutionEventFeed : IAsyncDisposable
{
    /// <summary>Events per log read (the grain caps it at its own page size too).</summary>
    private const int PageSize = 1_000;

    private readonly IExecutionGrain _grain;
    private readonly ExecutionStreamHub _hub;
    private readonly string _executionId;
    private readonly string _userId;
    private readonly LiveBuffer _live;
    private readonly CatchUpPolicy _policy;
    private ExecutionStreamHub.Membership? _membership;
    private EventPage? _firstPage;
    private StreamReset? _reset;
    private readonly ConnectionTexts? _texts;
    private bool _textsDue; // the texts may have something this client has not got
    private bool _pingDue;

    private ExecutionEventFeed(
        IExecutionGrain grain, ExecutionStreamHub hub, string executionId, string userId, long afterSequence, EventPage firstPage, StreamReset? reset,
        LiveBuffer live, ExecutionStreamHub.Membership? membership)
    {
        _texts = live.WantsTexts ? new ConnectionTexts() : null;
        _textsDue = _texts is not null; // at (re)connect: each text being written, whole, after the catch-up
        _grain = grain;
        _hub = hub;
        _executionId = executionId;
        _userId = userId;
        _firstPage = firstPage;
        _reset = reset;
        _live = live;
        _live.MovedTo(afterSequence);
        _membership = membership;
        // Joined before the first read: the live path has everything after it, so the log has more only if the page was full.
        _policy = new CatchUpPolicy(afterSequence, liveCoversRest: membership is not null && !firstPage.HasMore);
    }

    /// <summary>The sequence of the last event handed out.</summary>
    public long LastSequence => _policy.LastSequence;

    /// <summary>True once the terminal event was handed out; nothing follows it.</summary>
    public bool Ended => _policy.Ended;

    /// <summary>
    /// True when the cursor is at (or past) the end of a finished log and no reset is due: there is nothing to send, so
    /// the endpoint answers <c>204 No Content</c>, the one answer that makes a browser's EventSource stop reconnecting.
    /// </summary>
    public bool NothingToSend => _firstPage is { IsTerminal: true } first && _reset is null && _policy.LastSequence >= first.LastSequence;

    /// <summary>True when this client fell so far behind that its live buffer overflowed: cut it off; it resumes later.</summary>
    public bool TooSlow => _live.Overflowed;

    /// <summary>
    /// True once the feed was closed under the reader: it overflowed (<see cref="TooSlow"/>), or this node is stopping
    /// and ends its streams (clients resume, on any node, with their Last-Event-ID). Nothing more comes.
    /// </summary>
    public bool Closed => _live.IsClosed;

    /// <summary>Set by the writer while it waits for the client to take what it wrote: see <see cref="LiveBuffer.WaitingOnClient"/>.</summary>
    public bool WaitingOnClient
    {
        set => _live.WaitingOnClient = value;
    }

    /// <summary>What to do, at once and from any thread, when this client turns out <see cref="TooSlow"/>.</summary>
    public void OnTooSlow(Action<object> cutOff, object state) => _live.OnOverflow(cutOff, state);

    /// <summary>
    /// Opens a feed after <paramref name="afterSequence"/>, or returns null when the user may not see the execution.
    /// A cursor that cannot be served (older than the retained log, beyond its end, or <paramref name="malformedCursor"/>)
    /// gives the feed a reset (see <see cref="TakeReset"/>) and moves it to the current snapshot.
    /// </summary>
    /// <paramref name="texts"/>: also hand out the texts being written (<see cref="TakeTexts"/>).
    public static async Task<ExecutionEventFeed?> Open(
        IExecutionGrain grain, ExecutionStreamHub hub, string executionId, string userId, long afterSequence, string? malformedCursor, SseOptions options,
        bool texts = false)
    {
        var live = new LiveBuffer(options.LiveBufferEvents, options.LiveBufferBytes, afterSequence) { WantsTexts = texts };
        // The first connection reads, subscribes, then reads again (whatever was appended before the subscription took
        // effect). Reading first checks ownership, so strangers never cause a subscription. A connection to an
        // execution this node already follows joins first and reads once; a stranger's buffer is dropped unread.
        var membership = hub.TryJoinFollowed(executionId, live);
        try
        {
            var firstPage = await grain.ReadEvents(userId, afterSequence, PageSize);
            if (firstPage is null)
            {
                await (membership?.DisposeAsync() ?? ValueTask.CompletedTask);
                return null;
            }

            var resetReason = malformedCursor is not null ? StreamReset.Malformed
                : afterSequence > firstPage.LastSequence ? StreamReset.Ahead
                : afterSequence + 1 < firstPage.FirstSequence ? StreamReset.Retention
                : null;
            StreamReset? reset = null;
            if (resetReason is not null && await grain.GetSnapshot(userId) is { } snapshot)
            {
                reset = new StreamReset(resetReason, malformedCursor ?? afterSequence.ToString(CultureInfo.InvariantCulture), snapshot);
                afterSequence = snapshot.LastSequence;
                firstPage = await grain.ReadEvents(userId, afterSequence, PageSize) ?? firstPage;
            }

            if (membership is not null && (firstPage.IsTerminal || reset is not null))
            {
                // A finished log is read to its end without a live path; after a reset, join as a first connection
                // does. Leaving closes the buffer it joined with, so the feed gets a new one.
                await membership.DisposeAsync();
                membership = null;
                live = new LiveBuffer(options.LiveBufferEvents, options.LiveBufferBytes, afterSequence) { WantsTexts = texts };
            }

            var feed = new ExecutionEventFeed(grain, hub, executionId, userId, afterSequence, firstPage, reset, live, membership);
            membership = null; // the feed leaves when it is disposed
            if (!firstPage.IsTerminal && feed._membership is null)
            {
                feed._membership = await hub.Join(executionId, userId, feed._live);
            }

            return feed;
        }
        catch
        {
            await (membership?.DisposeAsync() ?? ValueTask.CompletedTask);
            throw;
        }
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
    /// The next events in order; empty when a heartbeat is due (or the feed is <see cref="Closed"/>); null when there is
    /// nothing to do until <see cref="WaitAsync"/> completes. Waiting is left to the caller so that an idle connection
    /// keeps no suspended frame of this method (152 bytes each in a gcdump), only the writer's own.
    /// </summary>
    public async ValueTask<IReadOnlyList<SerializedEvent>?> Next()
    {
        if (_firstPage is { } first)
        {
            _firstPage = null;
            return Delivered(_policy.FromFirstPage(first, _membership?.Subscription));
        }

        while (!_live.IsClosed)
        {
            if (_policy.ShouldReadLog)
            {
                var afterSilence = _policy.ReadIsAfterSilence;
                var fromLog = await ReadLog();
                if (afterSilence && fromLog.Count > 0 && _membership is not null)
                {
                    await _hub.Resubscribe(_executionId); // the live path was silent while the log moved on: it is lost
                }

                if (fromLog.Count > 0 || _reset is not null || _policy.Ended)
                {
                    return fromLog;
                }
            }

            if (_policy.TakeHeartbeat())
            {
                _live.WroteWithoutEvents();
                _pingDue = true;
                return [];
            }

            // Only members are woken by the hub's sweep; a feed opened on a finished log reads it to its end instead
            // of waiting, so this join is a safety net, not a path taken in normal operation.
            _membership ??= await _hub.Join(_executionId, _userId, _live);
            var wakes = _live.TakeWakes();
            _textsDue |= wakes.HasFlag(LiveWake.Text) && _texts is not null;
            _policy.Wake(wakes);
            var live = Delivered(_policy.FromLive(_live));
            if (live.Count > 0 || (TextsReady && !_policy.HeartbeatDue))
            {
                return live; // texts, if due, are taken after these events
            }

            if (!_policy.ShouldReadLog && !_policy.HeartbeatDue)
            {
                return null;
            }
        }

        return [];
    }

    /// <summary>The client asked for the texts being written (<c>?deltas=true</c>).</summary>
    public bool WantsTexts => _texts is not null;

    /// <summary>True (once) when the empty batch <see cref="Next"/> returned is a heartbeat to write.</summary>
    public bool TakePing()
    {
        var due = _pingDue;
        _pingDue = false;
        return due;
    }

    /// <summary>
    /// Adds the text frames due now (<see cref="LiveTexts.Collect"/>): only once the client has every durable event
    /// the live path brought, so a text never comes before an event that precedes it.
    /// </summary>
    public void TakeTexts(List<TextFrame> frames)
    {
        if (!TextsReady)
        {
            return;
        }

        _textsDue = false;
        _live.Texts?.Collect(_texts!, frames);
        if (frames.Count > 0)
        {
            _live.WroteWithoutEvents();
        }
    }

    private bool TextsReady => _textsDue && !_policy.ShouldReadLog && !_policy.Ended && !_live.IsClosed;

    /// <summary>
    /// Completes when <see cref="Next"/> has something to do: a live event, a wake-up from the node's sweep (catch up
    /// from the log, or a heartbeat), or the feed closed, which the sweep also does within a tick once
    /// <paramref name="clientGone"/> (the client's disconnect) is cancelled. No timer and no registration: a quiet
    /// connection costs nothing until the sweep wakes it.
    /// </summary>
    public ValueTask WaitAsync(CancellationToken clientGone)
    {
        _live.ClientGone = clientGone;
        return _live.WaitAsync();
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
            _reset = new StreamReset(StreamReset.Retention, LastSequence.ToString(CultureInfo.InvariantCulture), snapshot);
            _policy.SkipTo(snapshot);
            _live.MovedTo(LastSequence);
            return [];
        }

        return Delivered(_policy.FromLog(page, _membership?.Subscription));
    }

    /// <summary>Tells the live buffer (for the node's sweep) that <paramref name="delivered"/> is about to be written.</summary>
    private IReadOnlyList<SerializedEvent> Delivered(IReadOnlyList<SerializedEvent> delivered)
    {
        if (delivered.Count > 0)
        {
            _live.DeliveredUpTo(LastSequence);
            if (_texts is not null)
            {
                for (var i = 0; i < delivered.Count; i++)
                {
                    _texts.Delivered(delivered[i].Event);
                }
            }
        }

        return delivered;
    }

    private static InvalidOperationException NoLongerVisible() =>
        new("An execution that was visible is no longer visible to its owner.");
}
