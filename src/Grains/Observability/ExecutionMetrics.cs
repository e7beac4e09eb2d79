using System.Diagnostics.Metrics;
using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Observability;

/// <summary>
/// The silo's share of the product's meter: executions, their events and the log's writes, store faults and tool calls.
/// Model calls are measured by Microsoft.Extensions.AI's OpenTelemetry client under the same meter (gen_ai.client.*).
/// </summary>
public sealed class ExecutionMetrics
{
    /// <summary>Second-scale buckets for writes that take milliseconds and outages that take minutes.</summary>
    private static readonly double[] SecondsBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _appended;
    private readonly Histogram<double> _appendDuration;
    private readonly Histogram<int> _batchSize;
    // Store faults are rare: observed, so they show at 0 from the start and a dashboard's rate is 0 rather than absent.
    private long _appendFailures;
    private long _reconciled;
    private long _restored;
    private readonly Histogram<double> _outage;
    private readonly Histogram<double> _toolDuration;

    public ExecutionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(AgentTelemetry.Name);
        _started = meter.CreateCounter<long>("orleans_agent.executions.started", "{execution}", "Executions started (not counting resumptions).");
        _finished = meter.CreateCounter<long>("orleans_agent.executions.finished", "{execution}",
            "Executions that reached their terminal event, by status (completed, failed, cancelled) and, when failed, error.type (the execution:error code).");
        _running = meter.CreateUpDownCounter<long>("orleans_agent.executions.running", "{execution}",
            "Agent loops running on this silo now (resumed ones included).");
        _appended = meter.CreateCounter<long>("orleans_agent.events.appended", "{event}", "Events made durable in execution logs, by type.");
        _appendDuration = meter.CreateHistogram("orleans_agent.log.append.duration", "s",
            "One batch's write to the log, retries included.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _batchSize = meter.CreateHistogram("orleans_agent.log.append.batch_size", "{event}",
            "Events per log write (group commit).", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        meter.CreateObservableCounter("orleans_agent.log.append.failures", () => Interlocked.Read(ref _appendFailures), "{attempt}",
            "Log writes that failed or timed out and are retried (the store is down, slow or failing over).");
        meter.CreateObservableCounter("orleans_agent.log.append.reconciled", () => Interlocked.Read(ref _reconciled), "{batch}",
            "Batches found already written when the log was read back after a failed attempt (the failure hid a success).");
        meter.CreateObservableCounter("orleans_agent.log.events_restored", () => Interlocked.Read(ref _restored), "{event}",
            "Events the store had acknowledged and then lost (a restart without persistence), written again from memory.");
        _outage = meter.CreateHistogram("orleans_agent.store.outage.duration", "s",
            "Per execution, from the first failed write to the batch being durable again.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _toolDuration = meter.CreateHistogram("orleans_agent.tool.duration", "s",
            "Tool calls, by gen_ai.tool.name and outcome (ok, error).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
    }

    public void Started() => _started.Add(1);

    public void LoopStarted() => _running.Add(1);

    public void LoopEnded() => _running.Add(-1);

    /// <summary>A batch is durable: counts its events by type, its size and how long the write took.</summary>
    public void Appended(IReadOnlyList<AgentEvent> batch, TimeSpan took)
    {
        _appendDuration.Record(took.TotalSeconds);
        _batchSize.Record(batch.Count);
        foreach (var evt in batch)
        {
            _appended.Add(1, new KeyValuePair<string, object?>("type", evt.Type));
            if (evt.IsTerminal)
            {
                Finished(evt);
            }
        }
    }

    public void AppendFailed() => Interlocked.Increment(ref _appendFailures);

    public void Reconciled() => Interlocked.Increment(ref _reconciled);

    public void Restored(int events) => Interlocked.Add(ref _restored, events);

    public void OutageEnded(TimeSpan lasted) => _outage.Record(lasted.TotalSeconds);

    public void ToolCalled(string tool, bool failed, TimeSpan took) => _toolDuration.Record(took.TotalSeconds,
        new KeyValuePair<string, object?>("gen_ai.tool.name", tool), new KeyValuePair<string, object?>("outcome", failed ? "error" : "ok"));

    private void Finished(AgentEvent terminal)
    {
        var status = new KeyValuePair<string, object?>("status", terminal.Type switch
        {
            AgentEventTypes.ExecutionComplete => "completed",
            AgentEventTypes.ExecutionCancelled => "cancelled",
            _ => "failed",
        });
        if (terminal.Data is ExecutionErrorData error)
        {
            _finished.Add(1, status, new KeyValuePair<string, object?>("error.type", error.Code));
        }
        else
        {
            _finished.Add(1, status);
        }
    }
}
