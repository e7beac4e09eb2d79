using HdrHistogram;

namespace Orleans.Agent.Bench;

/// <summary>What a profile's clients saw, shared by all of them: latencies in microseconds and delivery faults.</summary>
internal sealed class StreamStats
{
    private const long MaxMicroseconds = 3_600_000_000;

    /// <summary>From each event's server timestamp (set when it was emitted) to the moment the client parsed it.</summary>
    public LongConcurrentHistogram EmitToReceive { get; } = new(1, MaxMicroseconds, 3);

    /// <summary>The same, for events emitted after the client's stream had opened: the live path without catch-up.</summary>
    public LongConcurrentHistogram LiveEmitToReceive { get; } = new(1, MaxMicroseconds, 3);

    /// <summary>From the time the workload wrote a piece of live text (the oldest in a delta) to the moment the client parsed it.</summary>
    public LongConcurrentHistogram TokenToReceive { get; } = new(1, MaxMicroseconds, 3);

    /// <summary>From sending the POST to its 202 answer.</summary>
    public LongConcurrentHistogram PostToAccepted { get; } = new(1, MaxMicroseconds, 3);

    /// <summary>From the 202 to the first event on the execution's first client: opening the stream and its first read.</summary>
    public LongConcurrentHistogram AcceptedToFirstEvent { get; } = new(1, MaxMicroseconds, 3);

    /// <summary>From sending the POST to the first event on the execution's first client.</summary>
    public LongConcurrentHistogram PostToFirstEvent { get; } = new(1, MaxMicroseconds, 3);

    public long Events;
    public long Deltas;
    public long Gaps;
    public long Duplicates;
    public long Reorders;
    public long Missing;
    public long Reconnects;
    public long Errors;
    public long Incomplete;

    /// <summary>Bytes the clients read off their sockets (compressed or not, HTTP framing included).</summary>
    public long WireBytes;

    public static void RecordLatency(LongConcurrentHistogram histogram, long fromTicks, long toTicks) =>
        histogram.RecordValue(Math.Clamp((toTicks - fromTicks) / TimeSpan.TicksPerMicrosecond, 1, MaxMicroseconds));

    public long Faults => Gaps + Duplicates + Reorders + Missing + Incomplete + Errors;
}
