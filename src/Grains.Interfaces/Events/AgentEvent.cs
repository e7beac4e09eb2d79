using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// One step of an execution, as stored in its log, published on its stream and written as an SSE frame.
/// </summary>
/// <param name="ExecutionId">The execution this event belongs to.</param>
/// <param name="Sequence">1, 2, 3... gapless per execution; also the SSE <c>id:</c>.</param>
/// <param name="Type">The event type (see <see cref="AgentEventTypes"/>); always equal to <c>Data.EventType</c>.</param>
/// <param name="Timestamp">When the event was appended to the log, UTC.</param>
/// <param name="Data">The typed payload.</param>
[GenerateSerializer, Immutable]
[JsonConverter(typeof(AgentEventJsonConverter))]
public sealed record AgentEvent(
    [property: Id(0)] string ExecutionId,
    [property: Id(1)] long Sequence,
    [property: Id(2)] string Type,
    [property: Id(3)] DateTimeOffset Timestamp,
    [property: Id(4)] AgentEventData Data)
{
    /// <summary>True when this event ends the execution.</summary>
    [JsonIgnore]
    public bool IsTerminal => AgentEventTypes.IsTerminal(Type);
}
