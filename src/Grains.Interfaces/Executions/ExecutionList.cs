using System.Collections.Immutable;

namespace Orleans.Agent.Executions;

/// <summary>A page of a user's executions, newest first; <paramref name="NextCursor"/> is null on the last page.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionList(
    [property: Id(0)] ImmutableArray<ExecutionSummary> Items,
    [property: Id(1)] string? NextCursor);
