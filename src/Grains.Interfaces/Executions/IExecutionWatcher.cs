using System.Collections.Immutable;
using Orleans.Agent.Events;
using Orleans.Agent.LiveText;
using Orleans.Concurrency;

namespace Orleans.Agent.Executions;

/// <summary>
/// An API node watching an execution: the grain pushes each durable batch of events to it with one one-way call,
/// right after the batch is in the log. The low-latency twin of the execution's Orleans stream, which is still
/// published: the stream's pulling agents add a timer tick plus about 4.5 ms per event (docs/benchmarks.md).
/// Pushes are best effort: a lost one is found in the log, like a lost stream event.
/// </summary>
public interface IExecutionWatcher : IGrainObserver
{
    [OneWay]
    Task OnEvents(ImmutableArray<AgentEvent> events);

    /// <summary>
    /// Pieces of texts being written (live only, never in the log), pushed as the model writes them: each text's before
    /// the durable event that holds all of it (<see cref="LiveTextIds"/>).
    /// </summary>
    [OneWay]
    Task OnText(LiveTextBatch batch);
}
