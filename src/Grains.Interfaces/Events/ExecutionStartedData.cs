using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// <c>execution:started</c>: the loop has begun working on <paramref name="Task"/>. <paramref name="TraceId"/> is the
/// execution's trace (W3C trace id, 32 hex digits) when it is traced; omitted otherwise.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionStartedData(
    [property: Id(0)] string Task,
    [property: Id(1)] DateTimeOffset StartedAt,
    [property: Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null) : AgentEventData
{
    public override string EventType => AgentEventTypes.ExecutionStarted;
}
