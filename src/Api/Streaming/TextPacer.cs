namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// Paces the wake-ups that live text gives this node's connections (<see cref="LiveWake.Text"/>): at most
/// <see cref="SseOptions.TextFrameRate"/> a second per core, with a tenth of a second's worth in reserve for bursts.
/// Below that rate a connection is woken at once, as if unpaced; above it, connections wait their turn in the order
/// their texts grew, and the pieces that come meanwhile are merged into the one delta each then writes
/// (<see cref="LiveTexts.Collect"/>). A piece costs its connection a wake, a write and a flush (a send) of its own,
/// where a step's durable events share theirs: under load, this is what keeps live text cheaper than the events.
/// </summary>
public sealed class TextPacer
{
    /// <summary>How often waiting connections are let through: often enough that the wait adds little to a turn.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly Lock _lock = new();
    private readonly Queue<LiveBuffer> _waiting = new();
    private readonly TimeProvider _time;
    private readonly double _perSecond;
    private readonly double _reserve;
    private double _tokens;
    private long _refilledAt;
    private bool _draining;
    private long _waited;

    /// <param name="framesPerSecond">Wake-ups a second for the node; 0 wakes every connection at once.</param>
    /// <param name="time">The clock (a fake one in tests).</param>
    public TextPacer(double framesPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(framesPerSecond);
        _perSecond = framesPerSecond;
        _reserve = Math.Max(1, framesPerSecond / 10);
        _tokens = _reserve;
        _time = time;
        _refilledAt = time.GetTimestamp();
    }

    /// <summary>No pacing: every connection is woken at once.</summary>
    public static TextPacer Unpaced { get; } = new(0, TimeProvider.System);

    /// <summary>The node's rate: <see cref="SseOptions.TextFrameRate"/> for each core this process may use.</summary>
    public static TextPacer For(SseOptions options, TimeProvider time) =>
        options.TextFrameRate == 0 ? Unpaced : new(options.TextFrameRate * (double)Environment.ProcessorCount, time);

    /// <summary>Connections waiting for their turn now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Wake-ups that waited for their turn since the node started (each merged the pieces that came meanwhile).</summary>
    public long Waited => Interlocked.Read(ref _waited);

    /// <summary>A text this connection takes grew: wake it now, or in its turn (once, however many pieces come meanwhile).</summary>
    public void Wake(LiveBuffer buffer)
    {
        if (_perSecond == 0)
        {
            buffer.Wake(LiveWake.Text);
            return;
        }

        lock (_lock)
        {
            if (buffer.TextWaiting)
            {
                return; // its turn takes this piece too
            }

            Refill();
            if (_waiting.Count == 0 && _tokens >= 1)
            {
                // A wake it has not taken yet takes this piece too, and costs no turn.
                _tokens -= buffer.Wake(LiveWake.Text) ? 1 : 0;
                return;
            }

            if (buffer.IsPosted(LiveWake.Text))
            {
                return;
            }

            buffer.TextWaiting = true;
            _waiting.Enqueue(buffer);
            Interlocked.Increment(ref _waited);
            if (!_draining)
            {
                _draining = true;
                _ = Drain();
            }
        }
    }

    private async Task Drain()
    {
        var due = new List<LiveBuffer>(); // this drain's own: the next one may start as this one wakes its last
        var draining = true;
        while (draining)
        {
            await Task.Delay(Tick, _time);
            lock (_lock)
            {
                Refill();
                while (_tokens >= 1 && _waiting.TryDequeue(out var buffer))
                {
                    _tokens--;
                    buffer.TextWaiting = false;
                    due.Add(buffer);
                }

                draining = _draining = _waiting.Count > 0;
            }

            foreach (var buffer in due)
            {
                buffer.Wake(LiveWake.Text); // a closed one (the client left meanwhile) ignores it
            }

            due.Clear();
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_reserve, _tokens + (_time.GetElapsedTime(_refilledAt, now).TotalSeconds * _perSecond));
        _refilledAt = now;
    }
}
