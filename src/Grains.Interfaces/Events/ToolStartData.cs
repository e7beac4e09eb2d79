using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// <c>tool:start</c>: a tool call begins. <paramref name="CallId"/> pairs it with its <c>tool:complete</c>. Params too
/// large for an event are a preview here and whole at <see cref="ParamsRef"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ToolStartData(
    [property: Id(0)] string ToolName,
    [property: Id(1)] JsonElement Params,
    [property: Id(2)] string CallId) : AgentEventData
{
    public override string EventType => AgentEventTypes.ToolStart;

    /// <summary>Where the whole params are when <see cref="Params"/> is only their preview; omitted otherwise.</summary>
    [Id(3), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ArtifactReference? ParamsRef { get; init; }
}
