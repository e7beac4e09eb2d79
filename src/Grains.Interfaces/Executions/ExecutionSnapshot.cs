using System.Text.Json.Serialization;
using Orleans.Agent.Events;

namespace Orleans.Agent.Executions;

/// <summary>
/// The state of an execution at <paramref name="LastSequence"/>, folded from its event log
/// (so a snapshot and a replay of the log never disagree).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionSnapshot(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] ExecutionStatus Status,
    [property: Id(2)] string Task,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] long LastSequence,
    [property: Id(5)] DateTimeOffset? StartedAt = null,
    [property: Id(6)] DateTimeOffset? CompletedAt = null,
    [property: Id(7)] ExecutionPlan? Plan = null,
    [property: Id(8)] string? CurrentPhaseId = null,
    [property: Id(9)] int ToolCalls = 0,
    [property: Id(10)] TokenUsage? TokensUsed = null,
    [property: Id(11)] string? Result = null,
    [property: Id(12)] string? Error = null,
    [property: Id(13), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null)
{
    /// <summary>True once a terminal event is in the log (on the wire, <c>status</c> says it).</summary>
    [JsonIgnore]
    public bool IsTerminal => Status is ExecutionStatus.Completed or ExecutionStatus.Failed or ExecutionStatus.Cancelled;
}
