using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The catch-up policy of one connection, in one place: what it delivers, and when it reads the log instead of
/// trusting the live path. The log is the truth; the live path is only the fast path. Every event reaches the
/// connection at most twice (from the log and live) and is delivered once, in sequence order, ending with the
/// terminal event. The log is read:
/// <list type="bullet">
/// <item>first (the connection's first page), and again while a page comes back full;</item>
/// <item>when a live event skips a sequence (a gap: the missing events and that one are all in the log);</item>
/// <item>when the node's sweep finds the log's end past this connection after a silence (<see cref="LiveWake.CatchUp"/>):
/// if that read finds events, the live path lost them and its subscription is replaced
/// (<see cref="ReadIsAfterSilence"/>);</item>
/// <item>when the live path was restored after a failover (<see cref="LiveWake.Reread"/>).</item>
/// </list>
/// A live event at or below the cursor is a duplicate and is dropped. A heartbeat is due when the sweep says so and
/// no event was delivered since. No I/O here: <see cref="ExecutionEventFeed"/> does the reads and the waiting.
/// </summary>
public sealed class CatchUpPolicy
{
    private readonly bool _liveCoversRest;

    /// <param name="afterSequence">The cursor: the last sequence the client has.</param>
    /// <param name="liveCoversRest">
    /// True when the live path was in place before the first page was read and that page was not full: then
    /// everything after the page reaches the connection live, and no second read is needed.
    /// </param>
    public CatchUpPolicy(long afterSequence, bool liveCoversRest = false)
    {
        LastSequence = afterSequence;
        _liveCoversRest = liveCoversRest;
    }

    /// <summary>The sequence of the last event delivered (or skipped past by a reset).</summary>
    public long LastSequence { get; private set; }

    /// <summary>True once the terminal event was delivered, or the cursor is at the end of a finished log.</summary>
    public bool Ended { get; private set; }

    /// <summary>The log may hold events this connection has not delivered: read it before waiting.</summary>
    public bool ShouldReadLog { get; private set; }

    /// <summary>A heartbeat is due (and nothing was delivered since the sweep asked for it).</summary>
    public bool HeartbeatDue { get; private set; }

    /// <summary>The log read now due was asked for by a silence: if it finds events, the live path lost them.</summary>
    public bool ReadIsAfterSilence { get; private set; }

    /// <summary>
    /// The connection's first page, read before (or while) the live path was put in place: unless the live path was
    /// in place before it, the log is read once more, for whatever was appended in between.
    /// </summary>
    public IReadOnlyList<SerializedEvent> FromFirstPage(EventPage page, ExecutionSubscription? sharedWith = null)
    {
        var delivered = FromLog(page, sharedWith);
        ShouldReadLog |= !_liveCoversRest;
        return delivered;
    }

    /// <summary>
    /// The events of <paramref name="page"/> that come next, in order (a page overlaps what the live path already
    /// delivered). Reading it also answers <see cref="ShouldReadLog"/> for now: only a full page leaves more to read.
    /// </summary>
    /// <paramref name="sharedWith"/>: the node's subscription, whose other connections may have serialized these events already.
    public IReadOnlyList<SerializedEvent> FromLog(EventPage page, ExecutionSubscription? sharedWith = null)
    {
        ShouldReadLog = page.HasMore;
        ReadIsAfterSilence = false;
        var delivered = new List<SerializedEvent>();
        foreach (var evt in page.Events)
        {
            if (!Ended && evt.Sequence == LastSequence + 1)
            {
                delivered.Add(sharedWith?.Serialize(evt) ?? SerializedEvent.From(evt)); // only what is delivered is serialized
                Advance(evt);
            }
        }

        // A cursor at (or past) the end of a finished log: there is nothing left to send, so do not wait for it.
        Ended |= page.IsTerminal && LastSequence >= page.LastSequence;
        return Delivered(delivered);
    }

    /// <summary>Retention trimmed what this connection had not read: it carries on after the snapshot's last event.</summary>
    public void SkipTo(ExecutionSnapshot snapshot)
    {
        LastSequence = snapshot.LastSequence;
        Ended = snapshot.IsTerminal;
        ShouldReadLog = true;
        ReadIsAfterSilence = false;
    }

    /// <summary>Takes the wake-ups the node posted to this connection since it last looked.</summary>
    public void Wake(LiveWake wakes)
    {
        if (wakes.HasFlag(LiveWake.CatchUp))
        {
            ShouldReadLog = true;
            ReadIsAfterSilence = true;
        }

        ShouldReadLog |= wakes.HasFlag(LiveWake.Reread);
        HeartbeatDue |= wakes.HasFlag(LiveWake.Heartbeat);
    }

    /// <summary>The live events that come next, taken from <paramref name="live"/> up to the first gap (which the log fills).</summary>
    public IReadOnlyList<SerializedEvent> FromLive(LiveBuffer live)
    {
        if (Ended || live.TakeAll() is not { } taken)
        {
            return []; // no allocation: a connection looks once more after each batch it writes, and mostly finds nothing
        }

        // Kept in place: what follows a gap is left to the log read it starts, which returns it too (it is durable).
        var delivered = 0;
        for (var i = 0; i < taken.Count && !Ended; i++)
        {
            var evt = taken[i];
            if (evt.Sequence <= LastSequence)
            {
                continue; // already delivered (from the log, or a duplicate)
            }

            if (evt.Sequence != LastSequence + 1)
            {
                ShouldReadLog = true;
                break;
            }

            taken[delivered++] = evt;
            Advance(evt.Event);
        }

        taken.RemoveRange(delivered, taken.Count - delivered);
        return Delivered(taken);
    }

    /// <summary>True (once) when a heartbeat is to be written now.</summary>
    public bool TakeHeartbeat()
    {
        var due = HeartbeatDue;
        HeartbeatDue = false;
        return due;
    }

    /// <summary>Moves the cursor past <paramref name="evt"/>, the next in sequence; nothing follows a terminal event.</summary>
    private void Advance(AgentEvent evt)
    {
        LastSequence = evt.Sequence;
        Ended = evt.IsTerminal;
    }

    private List<SerializedEvent> Delivered(List<SerializedEvent> delivered)
    {
        if (delivered.Count > 0)
        {
            HeartbeatDue = false; // the events are the sign of life
        }

        return delivered;
    }
}
