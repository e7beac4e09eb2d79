namespace Orleans.Agent.Executions;

/// <summary>One line of a user's execution list.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionSummary(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] string Task,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] ExecutionStatus Status);
