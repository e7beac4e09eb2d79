using System.Text.Json;

namespace Orleans.Agent.Executions;

/// <summary>
/// What a client asked for: the task text and an optional free-form JSON context object; and the W3C
/// <c>traceparent</c> of the request that started it, when traced, so every run of it (failovers too) joins that trace.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionRequest(
    [property: Id(0)] string Task,
    [property: Id(1)] JsonElement? Context = null,
    [property: Id(2)] string? TraceParent = null);
