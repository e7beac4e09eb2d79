using System.Collections.Immutable;

namespace Orleans.Agent.Events;

/// <summary>What the execution aims at and the phases it will go through, in order.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionPlan(
    [property: Id(0)] string Goal,
    [property: Id(1)] ImmutableArray<PlanPhase> Phases);
