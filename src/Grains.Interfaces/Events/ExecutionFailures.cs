namespace Orleans.Agent.Events;

/// <summary>
/// The failure catalogue: every <c>code</c> an <c>execution:error</c> can carry, what it means (docs/events.md's table
/// is checked against <see cref="Meanings"/>) and the message it is sent with.
/// </summary>
public static class ExecutionFailures
{
    public const string IterationLimit = "iteration_limit";
    public const string TimeLimit = "time_limit";
    public const string ModelFailed = "model_failed";
    public const string AgentFailed = "agent_failed";
    public const string StorageUnavailable = "storage_unavailable";

    /// <summary>Each code and what it means, in the order docs/events.md lists them.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Meanings { get; } =
    [
        new(IterationLimit, "The model was called `Model:MaxIterations` times without finishing."),
        new(TimeLimit, "The run took longer than `Model:MaxDuration`."),
        new(ModelFailed, "The model provider failed, refused or did not answer."),
        new(AgentFailed, "An unexpected error in the agent loop or a tool."),
        new(StorageUnavailable, "The durable store could not be written for longer than `Storage:OutageBudget`; the event is written, and sent, once the store is back."),
    ];

    public static ExecutionErrorData IterationLimitReached(int maxIterations) =>
        new($"The model was called {maxIterations} times without finishing.", IterationLimit);

    public static ExecutionErrorData TimeLimitReached(TimeSpan maxDuration) =>
        new($"The execution ran longer than its limit of {maxDuration}.", TimeLimit);

    public static ExecutionErrorData ModelCallFailed(string detail) => new($"The model call failed: {detail}", ModelFailed);

    public static ExecutionErrorData StoreOutage(TimeSpan budget) =>
        new($"The event store was unavailable for longer than {budget}; the execution was stopped.", StorageUnavailable);

    /// <summary>Anything else that ended the loop; <paramref name="stack"/> is sent only in Development.</summary>
    public static ExecutionErrorData Unexpected(Exception exception, string? stack) => new(exception.Message, AgentFailed, stack);
}
