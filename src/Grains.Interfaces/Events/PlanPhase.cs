namespace Orleans.Agent.Events;

/// <summary>One phase of a plan. <paramref name="Id"/> is unique within the plan.</summary>
[GenerateSerializer, Immutable]
public sealed record PlanPhase(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] PhaseStatus Status);
