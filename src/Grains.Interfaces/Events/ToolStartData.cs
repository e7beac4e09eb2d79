using System.Text.Json;

namespace Orleans.Agent.Events;

/// <summary><c>tool:start</c>: a tool call begins. <paramref name="CallId"/> pairs it with its <c>tool:complete</c>.</summary>
[GenerateSerializer, Immutable]
public sealed record ToolStartData(
    [property: Id(0)] string ToolName,
    [property: Id(1)] JsonElement Params,
    [property: Id(2)] string CallId) : AgentEventData
{
    public override string EventType => AgentEventTypes.ToolStart;
}
