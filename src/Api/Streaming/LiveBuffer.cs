using System.Threading.Channels;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// One connection's queue of live events, bounded by count and by bytes. A connection that does not drain it in
/// time (a client that stopped reading) overflows it: the buffer closes, the connection is cut, and the client
/// resumes later with its Last-Event-ID. Offering never blocks, so one slow client cannot slow the others.
/// </summary>
public sealed class LiveBuffer(int maxEvents, long maxBytes)
{
    private readonly Channel<SerializedEvent> _queue = Channel.CreateUnbounded<SerializedEvent>(new UnboundedChannelOptions { SingleReader = true });
    private int _events;
    private long _bytes;

    /// <summary>True once an offer found the buffer full; nothing more is queued.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>
    /// Called once, on the offering thread, when the buffer overflows: the connection must be cut now, because its
    /// writer may be stuck in a flush that a client which stopped reading will never complete.
    /// </summary>
    public Action? OnOverflow { get; set; }

    public ChannelReader<SerializedEvent> Reader => _queue.Reader;

    /// <summary>Queues a live event, or overflows the buffer when it would exceed either bound.</summary>
    public void Offer(SerializedEvent evt)
    {
        lock (_queue)
        {
            if (Overflowed)
            {
                return;
            }

            if (_events + 1 <= maxEvents && _bytes + evt.Json.Length <= maxBytes)
            {
                _events++;
                _bytes += evt.Json.Length;
                _queue.Writer.TryWrite(evt);
                return;
            }

            Overflowed = true;
            _queue.Writer.TryComplete();
        }

        OnOverflow?.Invoke();
    }

    /// <summary>Takes the next queued event, if any.</summary>
    public bool TryTake(out SerializedEvent evt)
    {
        lock (_queue)
        {
            if (!_queue.Reader.TryRead(out evt!))
            {
                return false;
            }

            _events--;
            _bytes -= evt.Json.Length;
            return true;
        }
    }

    public void Close() => _queue.Writer.TryComplete();
}
