using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// Runs the model's side of an execution: plan, phases, thinking and tool calls, reported through the emitter.
/// The grain emits <c>execution:started</c> before and the terminal event after, so a runner never does.
/// A runner ends a failed run by throwing; <see cref="AgentFailureException"/> carries the error code.
/// </summary>
public interface IAgentRunner
{
    /// <param name="executionId">The execution (its workspace is named after it).</param>
    /// <param name="request">The task and context.</param>
    /// <param name="emit">Where every step is reported.</param>
    /// <param name="cancellationToken">Fires on cancel.</param>
    /// <param name="history">
    /// The events already durable when an execution resumes on a new activation (its silo died); empty on a fresh
    /// start. A runner continues after them and never redoes a completed step.
    /// </param>
    Task<AgentOutcome> Run(
        string executionId, ExecutionRequest request, ExecutionEventEmitter emit, IReadOnlyList<AgentEvent> history, CancellationToken cancellationToken);
}
