namespace Orleans.Agent.Events;

/// <summary><c>execution:cancelled</c> (terminal): stopped on request; <paramref name="By"/> is the user who asked.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionCancelledData(
    [property: Id(0)] string Reason,
    [property: Id(1)] string By) : AgentEventData
{
    public override string EventType => AgentEventTypes.ExecutionCancelled;
}
