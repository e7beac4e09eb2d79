using Orleans.Agent.Execution;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Agent;

/// <summary>
/// Runs the model's side of an execution: plan, phases, thinking and tool calls, reported through the emitter.
/// The grain emits <c>execution:started</c> before and the terminal event after, so a runner never does.
/// A runner ends a failed run by throwing; <see cref="AgentFailureException"/> carries the error code.
/// </summary>
public interface IAgentRunner
{
    Task<AgentOutcome> Run(string executionId, ExecutionRequest request, ExecutionEventEmitter emit, CancellationToken cancellationToken);
}
