using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Agent.Events;

/// <summary>
/// <c>tool:complete</c>: a tool call ended, with its JSON <paramref name="Result"/> or, when it failed,
/// an <paramref name="Error"/> (then <c>result</c> is null). <c>error</c> is omitted on success. A result too large for
/// an event is a preview here and whole at <see cref="ResultRef"/>.
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

    /// <summary>Where the whole result is when <see cref="Result"/> is only its preview; omitted otherwise.</summary>
    [Id(5), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ArtifactReference? ResultRef { get; init; }
}
