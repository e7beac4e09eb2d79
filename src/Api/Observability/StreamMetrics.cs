using System.Diagnostics.Metrics;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Streaming;

namespace Orleans.Agent.Api.Observability;

/// <summary>
/// The API node's share of the product's meter (<see cref="MeterName"/>): what its streams are doing now. Observed when
/// a reader collects (a scrape), from counts the node keeps anyway, so they cost nothing per event or per connection.
/// </summary>
public sealed class StreamMetrics
{
    public const string MeterName = "Orleans.Agent";

    public StreamMetrics(IMeterFactory meters, StreamAdmission admission, ExecutionStreamHub hub)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableUpDownCounter("orleans_agent.sse.connections", () => admission.Open, "{connection}",
            "SSE connections this node holds open.");
        meter.CreateObservableUpDownCounter("orleans_agent.sse.executions_subscribed", () => hub.SubscribedExecutions, "{execution}",
            "Executions this node follows for its connections (one subscription each, whatever the connection count).");
        meter.CreateObservableCounter("orleans_agent.sse.slow_consumer_disconnects", () => hub.SlowConsumersDisconnected, "{connection}",
            "Connections cut because they did not read their live events in time (their clients resume).");
        meter.CreateObservableCounter("orleans_agent.sse.log_end_probes", () => hub.LogEndProbes, "{probe}",
            "Checks of an execution's log end after silence on its live path.");
        meter.CreateObservableCounter("orleans_agent.sse.recovered_watches", () => hub.RecoveredWatches, "{subscription}",
            "Live deliveries renewed after a failover (a gateway lost, or a failed check of the log).");
    }
}
