namespace Orleans.Agent.Events;

/// <summary><c>phase:start</c>: the phase at zero-based <paramref name="PhaseIndex"/> of the plan begins.</summary>
[GenerateSerializer, Immutable]
public sealed record PhaseStartData(
    [property: Id(0)] string PhaseId,
    [property: Id(1)] string PhaseName,
    [property: Id(2)] int PhaseIndex) : AgentEventData
{
    public override string EventType => AgentEventTypes.PhaseStart;
}
