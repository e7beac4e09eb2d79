using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// <c>execution:error</c> (terminal): the execution failed. <paramref name="Code"/> is a stable machine-readable
/// reason; <paramref name="Stack"/> is set only in the Development environment and omitted otherwise.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionErrorData(
    [property: Id(0)] string Error,
    [property: Id(1)] string Code,
    [property: Id(2), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Stack = null) : AgentEventData
{
    public override string EventType => AgentEventTypes.ExecutionError;
}
