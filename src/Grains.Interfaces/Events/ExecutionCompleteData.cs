namespace Orleans.Agent.Events;

/// <summary><c>execution:complete</c> (terminal): the final answer, wall-clock duration and model tokens.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionCompleteData(
    [property: Id(0)] string Result,
    [property: Id(1)] long DurationMs,
    [property: Id(2)] TokenUsage TokensUsed) : AgentEventData
{
    public override string EventType => AgentEventTypes.ExecutionComplete;
}
