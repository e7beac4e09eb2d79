namespace Orleans.Agent.Events;

/// <summary><c>thinking</c>: the model's reasoning text; <paramref name="Iteration"/> counts from 1 per execution.</summary>
[GenerateSerializer, Immutable]
public sealed record ThinkingData(
    [property: Id(0)] string Thought,
    [property: Id(1)] int Iteration) : AgentEventData
{
    public override string EventType => AgentEventTypes.Thinking;
}
