using System.Diagnostics.Metrics;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Api.Observability;

/// <summary>
/// The API node's share of the product's meter (<see cref="AgentTelemetry.Name"/>) about its streams. Gauges and rare
/// counters are observed when a reader collects (a scrape), from counts kept in fields, so they show from the start;
/// per-event instruments are recorded once per written batch, and cost a flag test when nothing listens.
/// </summary>
public sealed class StreamMetrics
{
    /// <summary>Delivery lag buckets in seconds: a live event takes milliseconds, a catch-up read from the log up to minutes.</summary>
    private static readonly double[] LagBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    /// <summary>The reasons a stream:reset is sent for, each observed from the start.</summary>
    private static readonly string[] ResetReasons = [.. StreamReset.Reasons];

    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _lag;
    private readonly long[] _resets = new long[ResetReasons.Length];
    private long _resumes;
    private long _heartbeatOnly;

    public StreamMetrics(IMeterFactory meters, StreamAdmission admission, ExecutionStreamHub hub)
    {
        var meter = meters.Create(AgentTelemetry.Name);
        meter.CreateObservableUpDownCounter("orleans_agent.sse.connections", () => admission.Open, "{connection}",
            "SSE connections this node holds open.");
        meter.CreateObservableUpDownCounter("orleans_agent.sse.executions_subscribed", () => hub.SubscribedExecutions, "{execution}",
            "Executions this node follows for its connections (one subscription each, whatever the connection count).");
        meter.CreateObservableUpDownCounter("orleans_agent.sse.heartbeat_only_connections", () => Interlocked.Read(ref _heartbeatOnly), "{connection}",
            "Open SSE connections whose last write was a heartbeat: their execution has been quiet for a heartbeat interval or more.");
        meter.CreateObservableCounter("orleans_agent.sse.slow_consumer_disconnects", () => hub.SlowConsumersDisconnected, "{connection}",
            "Connections cut because they did not read their live events in time (their clients resume).");
        meter.CreateObservableCounter("orleans_agent.sse.log_end_probes", () => hub.LogEndProbes, "{probe}",
            "Checks of an execution's log end after silence on its live path.");
        meter.CreateObservableCounter("orleans_agent.sse.recovered_watches", () => hub.RecoveredWatches, "{subscription}",
            "Live deliveries renewed after a failover (a gateway lost, or a failed check of the log).");
        meter.CreateObservableUpDownCounter("orleans_agent.sse.text_waiting", () => hub.TextPacer.Waiting, "{connection}",
            "Connections waiting now for their turn to write live text (the node is past Sse:TextFrameRate).");
        meter.CreateObservableCounter("orleans_agent.sse.text_turns_waited", () => hub.TextPacer.Waited, "{wake-up}",
            "Live-text wake-ups that waited for their turn under Sse:TextFrameRate; the pieces that came meanwhile went out as one delta.");
        _delivered = meter.CreateCounter<long>("orleans_agent.sse.events_delivered", "{event}",
            "Events written to SSE connections (one per event and connection; filtered-out types are not counted).");
        _lag = meter.CreateHistogram("orleans_agent.sse.delivery_lag", "s",
            "From an event's append to the log (its timestamp) to its write to a connection being flushed, per event and connection.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LagBuckets });
        meter.CreateObservableCounter("orleans_agent.sse.resets", ObserveResets, "{reset}",
            "stream:reset frames sent, by reason (retention, ahead, malformed).");
        meter.CreateObservableCounter("orleans_agent.sse.resumes", () => Interlocked.Read(ref _resumes), "{connection}",
            "Stream requests that came with a cursor (Last-Event-ID or ?lastEventId= past 0).");
    }

    /// <summary>A stream request with a cursor arrived.</summary>
    public void Resumed() => Interlocked.Increment(ref _resumes);

    public void Reset(string reason) => Interlocked.Increment(ref _resets[Array.IndexOf(ResetReasons, reason)]);

    /// <summary>
    /// <paramref name="batch"/> was just flushed to a connection, but for the types <paramref name="types"/> leaves out:
    /// counts those events and records each one's lag from its append.
    /// </summary>
    public void Delivered(IReadOnlyList<SerializedEvent> batch, IReadOnlySet<string>? types)
    {
        if (batch.Count == 0 || !_delivered.Enabled)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var count = 0;
        for (var i = 0; i < batch.Count; i++) // by index: no enumerator boxed per batch
        {
            var evt = batch[i];
            if (types is null || types.Contains(evt.Event.Type))
            {
                count++;
                _lag.Record(Math.Max(0, (now - evt.Event.Timestamp).TotalSeconds)); // silo and node clocks may differ a little
            }
        }

        _delivered.Add(count);
    }

    private IEnumerable<Measurement<long>> ObserveResets()
    {
        for (var i = 0; i < ResetReasons.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _resets[i]), new KeyValuePair<string, object?>("reason", ResetReasons[i]));
        }
    }

    /// <summary>A connection's writes turned to heartbeats only (<paramref name="quiet"/>) or back to events.</summary>
    public void HeartbeatOnly(bool quiet) => Interlocked.Add(ref _heartbeatOnly, quiet ? 1 : -1);
}
