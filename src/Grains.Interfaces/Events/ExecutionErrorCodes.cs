namespace Orleans.Agent.Events;

/// <summary>The stable <c>code</c> values of <c>execution:error</c> (docs/events.md lists what each means).</summary>
public static class ExecutionErrorCodes
{
    public const string IterationLimit = "iteration_limit";
    public const string TimeLimit = "time_limit";
    public const string ModelFailed = "model_failed";
    public const string AgentFailed = "agent_failed";

    /// <summary>The event store could not be written for longer than <c>Storage:OutageBudget</c>.</summary>
    public const string StorageUnavailable = "storage_unavailable";
}
