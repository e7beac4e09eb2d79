using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// <c>tool:complete</c>: a tool call ended, with its JSON <paramref name="Result"/> or, when it failed,
/// an <paramref name="Error"/> (then <c>result</c> is null). <c>error</c> is omitted on success.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ToolCompleteData(
    [property: Id(0)] string ToolName,
    [property: Id(1)] string CallId,
    [property: Id(2)] JsonElement? Result,
    [property: Id(3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error,
    [property: Id(4)] long DurationMs) : AgentEventData
{
    public override string EventType => AgentEventTypes.ToolComplete;
}
