using Orleans.Agent.Executions;

namespace Orleans.Agent.Execution;

/// <summary>
/// The persisted record of an execution: who owns it, what was asked, and, once it has ended, its final snapshot
/// (so the snapshot survives log retention). The events themselves live in the <see cref="Storage.IExecutionLogStore"/>.
/// </summary>
[GenerateSerializer]
public sealed class ExecutionState
{
    [Id(0)] public string? OwnerId { get; set; }
    [Id(1)] public ExecutionRequest? Request { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public ExecutionSnapshot? FinalSnapshot { get; set; }
}
