using System.Collections.Immutable;
using Orleans.Agent.Events;

namespace Orleans.Agent.Executions;

/// <summary>
/// A slice of an execution's log: <paramref name="Events"/> in sequence order, the log's
/// <paramref name="LastSequence"/> when it was read, whether the log already holds its terminal event, and the
/// <paramref name="FirstSequence"/> still retained (1 unless retention trimmed a finished log).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record EventPage(
    [property: Id(0)] ImmutableArray<AgentEvent> Events,
    [property: Id(1)] long LastSequence,
    [property: Id(2)] bool IsTerminal,
    [property: Id(3)] long FirstSequence = 1)
{
    /// <summary>True when more events than this page holds were already in the log.</summary>
    public bool HasMore => Events.Length > 0 && Events[^1].Sequence < LastSequence;
}
