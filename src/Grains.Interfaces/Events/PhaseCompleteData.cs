namespace Orleans.Agent.Events;

/// <summary><c>phase:complete</c>: the phase ended.</summary>
[GenerateSerializer, Immutable]
public sealed record PhaseCompleteData(
    [property: Id(0)] string PhaseId,
    [property: Id(1)] string PhaseName) : AgentEventData
{
    public override string EventType => AgentEventTypes.PhaseComplete;
}
