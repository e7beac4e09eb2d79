using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Execution;

/// <summary>
/// The persisted state of an execution: who owns it, what was asked, and its event log (the source of truth
/// from which snapshots are folded and streams are back-filled).
/// </summary>
[GenerateSerializer]
public sealed class ExecutionLogState
{
    [Id(0)] public string? OwnerId { get; set; }
    [Id(1)] public ExecutionRequest? Request { get; set; }
    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public List<AgentEvent> Events { get; set; } = [];
}
