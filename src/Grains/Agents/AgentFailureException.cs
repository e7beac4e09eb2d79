using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Agents;

/// <summary>An execution that cannot go on, with the <c>execution:error</c> it ends with (see <see cref="ExecutionFailures"/>).</summary>
public sealed class AgentFailureException(ExecutionErrorData error, Exception? inner = null) : Exception(error.Error, inner)
{
    public ExecutionErrorData Error { get; } = error;
}
