using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// The load-test runner, put in front of the agent loop at start-up when <c>Model:SyntheticWorkloads</c> is on: a
/// request with <c>context.workload</c> runs <see cref="SyntheticWorkloadRun"/>, any other goes to the loop.
/// </summary>
public sealed class SyntheticWorkloadRunner(IAgentRunner model) : IAgentRunner
{
    public Task<AgentOutcome> Run(
        string executionId, ExecutionRequest request, ExecutionEventEmitter emit, IReadOnlyList<AgentEvent> history, CancellationToken cancellationToken) =>
        SyntheticWorkload.TryRead(request.Context, out var workload, out _) && workload is not null
            ? SyntheticWorkloadRun.Run(workload, emit, history, cancellationToken)
            : model.Run(executionId, request, emit, history, cancellationToken);
}
