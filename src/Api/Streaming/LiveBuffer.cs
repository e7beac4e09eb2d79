using System.Threading.Tasks.Sources;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// One connection's mailbox in the hub: its live events, bounded by count and by bytes, and the wake-ups the node's
/// sweep posts (<see cref="LiveWake"/>). A connection waits only here, so a quiet connection costs no timer of its
/// own: the sweep (<see cref="ExecutionStreamSweep"/>) decides, for all connections at once, which of them must read
/// the log or send a heartbeat, from the bookkeeping the connection leaves here (<see cref="Delivered"/>,
/// <see cref="LastEventAt"/>, <see cref="LastWriteAt"/>).
/// <para>
/// A connection that does not drain its events in time overflows the buffer, and offering never blocks, so one slow
/// client cannot slow the others. If the connection's writer is waiting on its client (a flush the client does not
/// read: <see cref="WaitingOnClient"/>), the client stopped reading: the buffer closes, the connection is cut, and
/// the client resumes later with its Last-Event-ID. Otherwise this node is what fell behind (a connection that has
/// not started writing yet, a starved CPU): the queued events are dropped and the connection reads them from the log
/// at its own pace (<see cref="LiveWake.Reread"/>), in bounded pages, instead of being cut for the node's own delay.
/// </para>
/// <para>
/// Hand-made rather than a <c>Channel</c>: an unbounded channel costs about 1 KiB per connection even when empty
/// (its queue segment, reader, writer and waiter), and most connections are idle. Here the queue is created with the
/// first live event, and the one reader's wait is this object itself (a reusable <see cref="IValueTaskSource"/>).
/// </para>
/// </summary>
public sealed class LiveBuffer : IValueTaskSource
{
    private const int KeptBatch = 16; // a taken list kept for the next batch holds at most this many

    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private Queue<SerializedEvent>? _queue;
    private List<SerializedEvent>? _taken; // made with the first batch taken: an idle connection has none
    private long _bytes;
    private LiveWake _wakes;
    private bool _waiting;
    private bool _waitingOnClient;
    private long _delivered;
    private long _lastEventAt;
    private long _lastWriteAt;
    private Action<object>? _onOverflow;
    private object? _onOverflowState;

    // Not readonly: a mutable struct. Continuations run on the thread pool, never inline in Offer or Wake, so a
    // grain's push or the sweep never runs a connection's write.
    private ManualResetValueTaskSourceCore<bool> _signal = new() { RunContinuationsAsynchronously = true };

    public LiveBuffer(int maxEvents, long maxBytes, long deliveredSequence)
    {
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _delivered = deliveredSequence;
        _lastEventAt = _lastWriteAt = Environment.TickCount64;
    }

    /// <summary>The connection asked for texts as they are written (<c>?deltas=true</c>): the subscription wakes it for them.</summary>
    public bool WantsTexts { get; init; }

    /// <summary>The texts being written in the execution this connection joined (set when it joins a subscription).</summary>
    public LiveTexts? Texts { get; set; }

    /// <summary>Waiting for its turn to be woken for live text (<see cref="TextPacer"/>; read and written under its lock).</summary>
    internal bool TextWaiting { get; set; }

    /// <summary>True once an offer found the buffer full while the writer waited on its client; nothing more is queued.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Set by the connection's writer while it waits for its client to take what it wrote (a flush).</summary>
    public bool WaitingOnClient
    {
        get => Volatile.Read(ref _waitingOnClient);
        set => Volatile.Write(ref _waitingOnClient, value);
    }

    /// <summary>Times the buffer filled while its writer was not waiting on its client, and the connection went to the log.</summary>
    public int Dropped { get; private set; }

    /// <summary>True once closed: overflowed, the client went away, the connection left, or the node is stopping.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>
    /// Sets what is called once, on the offering thread, when the buffer overflows: the connection must be cut now,
    /// because its writer may be stuck in a flush that a client which stopped reading will never complete. A static
    /// callback and its state rather than a closure: a closure and its delegate were 0.1 KiB per idle connection.
    /// </summary>
    public void OnOverflow(Action<object> cutOff, object state) => (_onOverflow, _onOverflowState) = (cutOff, state);

    /// <summary>
    /// Cancelled when the client goes away. The sweep closes the buffer then (within a tick), which ends a waiting
    /// connection: polled rather than registered, because a registration is a callback node kept for the connection's
    /// life (about 0.1 KiB), while a token is a field.
    /// </summary>
    public CancellationToken ClientGone { get; set; }

    /// <summary>The last sequence the connection delivered (or skipped past): the sweep wakes it when the log is further.</summary>
    public long Delivered => Volatile.Read(ref _delivered);

    /// <summary>When (<see cref="Environment.TickCount64"/>) the connection last delivered an event.</summary>
    public long LastEventAt => Volatile.Read(ref _lastEventAt);

    /// <summary>When the connection last wrote anything (events or a heartbeat).</summary>
    public long LastWriteAt => Volatile.Read(ref _lastWriteAt);

    /// <summary>The connection delivered events up to <paramref name="sequence"/>.</summary>
    public void DeliveredUpTo(long sequence)
    {
        var now = Environment.TickCount64;
        Volatile.Write(ref _delivered, sequence);
        Volatile.Write(ref _lastEventAt, now);
        Volatile.Write(ref _lastWriteAt, now);
    }

    /// <summary>The connection moved its cursor without delivering (a <c>stream:reset</c> to the snapshot).</summary>
    public void MovedTo(long sequence) => Volatile.Write(ref _delivered, sequence);

    /// <summary>The connection wrote something other than events (a heartbeat, live text).</summary>
    public void WroteWithoutEvents() => Volatile.Write(ref _lastWriteAt, Environment.TickCount64);

    /// <summary>Queues a live event, or overflows the buffer when it would exceed either bound.</summary>
    public void Offer(SerializedEvent evt)
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return;
            }

            var queue = _queue ??= new Queue<SerializedEvent>();
            if (queue.Count + 1 <= _maxEvents && _bytes + evt.Frame.Length <= _maxBytes)
            {
                queue.Enqueue(evt);
                _bytes += evt.Frame.Length;
                SignalUnderLock();
                return;
            }

            queue.Clear();
            _bytes = 0;
            if (!WaitingOnClient)
            {
                Dropped++;
                _wakes |= LiveWake.Reread; // this node fell behind, not the client: catch up from the log
                SignalUnderLock();
                return;
            }

            Overflowed = true;
            IsClosed = true;
            SignalUnderLock();
        }

        _onOverflow?.Invoke(_onOverflowState!);
    }

    /// <summary>
    /// Takes every queued event, in order, under one lock; null when none is queued. The list is the reader's and the
    /// next call reuses it (a connection writes one batch before it takes the next): a list per batch per connection
    /// was garbage.
    /// </summary>
    public List<SerializedEvent>? TakeAll()
    {
        lock (_lock)
        {
            if (_queue is not { Count: > 0 } queue)
            {
                return null;
            }

            // A burst gets a list of its own, so that a connection does not keep a large one for the rest of its life.
            var taken = queue.Count <= KeptBatch ? _taken ??= new List<SerializedEvent>(KeptBatch) : new List<SerializedEvent>(queue.Count);
            taken.Clear();
            while (queue.TryDequeue(out var evt))
            {
                taken.Add(evt);
            }

            _bytes = 0;
            return taken;
        }
    }

    /// <summary>
    /// Posts a wake-up; the waiting connection (if any) returns from <see cref="WaitAsync"/>. False when it was
    /// already posted and not yet taken, or the buffer is closed.
    /// </summary>
    public bool Wake(LiveWake reason)
    {
        lock (_lock)
        {
            if (IsClosed || (_wakes & reason) == reason)
            {
                return false;
            }

            _wakes |= reason;
            SignalUnderLock();
            return true;
        }
    }

    /// <summary>True while <paramref name="reason"/> is posted and not yet taken.</summary>
    public bool IsPosted(LiveWake reason)
    {
        lock (_lock)
        {
            return (_wakes & reason) == reason;
        }
    }

    /// <summary>The wake-ups posted since the last call, cleared.</summary>
    public LiveWake TakeWakes()
    {
        lock (_lock)
        {
            var wakes = _wakes;
            _wakes = LiveWake.None;
            return wakes;
        }
    }

    /// <summary>
    /// Completes when an event is queued, a wake-up is posted or the buffer is closed (at once if one already is).
    /// One reader, one wait at a time: the returned task must be awaited before the next call.
    /// </summary>
    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (IsClosed || _wakes != LiveWake.None || _queue is { Count: > 0 })
            {
                return ValueTask.CompletedTask;
            }

            _signal.Reset();
            _waiting = true;
            return new ValueTask(this, _signal.Version);
        }
    }

    /// <summary>Stops queuing and ends the reader's wait. Idempotent.</summary>
    public void Close()
    {
        lock (_lock)
        {
            if (IsClosed)
            {
                return;
            }

            IsClosed = true;
            _queue?.Clear();
            SignalUnderLock();
        }
    }

    private void SignalUnderLock()
    {
        if (_waiting)
        {
            _waiting = false;
            _signal.SetResult(true);
        }
    }

    void IValueTaskSource.GetResult(short token) => _signal.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _signal.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _signal.OnCompleted(continuation, state, token, flags);
}
