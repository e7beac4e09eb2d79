namespace Orleans.Agent.Agent;

/// <summary>An execution that cannot go on, with the stable <paramref name="code"/> of its <c>execution:error</c>.</summary>
public sealed class AgentFailureException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public const string IterationLimit = "iteration_limit";
    public const string TimeLimit = "time_limit";
    public const string ModelFailed = "model_failed";

    public string Code { get; } = code;
}
