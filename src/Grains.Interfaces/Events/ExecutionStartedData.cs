namespace Orleans.Agent.Events;

/// <summary><c>execution:started</c>: the loop has begun working on <paramref name="Task"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionStartedData(
    [property: Id(0)] string Task,
    [property: Id(1)] DateTimeOffset StartedAt) : AgentEventData
{
    public override string EventType => AgentEventTypes.ExecutionStarted;
}
