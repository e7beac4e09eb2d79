using Orleans.Agent.Events;

namespace Orleans.Agent.Agent;

/// <summary>An execution that cannot go on, with the stable <paramref name="code"/> of its <c>execution:error</c>.</summary>
public sealed class AgentFailureException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string IterationLimit = ExecutionErrorCodes.IterationLimit;
    public const string TimeLimit = ExecutionErrorCodes.TimeLimit;
    public const string ModelFailed = ExecutionErrorCodes.ModelFailed;

    public string Code { get; } = code;
}
