using System.Text.Json;

namespace Orleans.Agent.Executions;

/// <summary>What a client asked for: the task text and an optional free-form JSON context object.</summary>
[GenerateSerializer, Immutable]
public sealed record ExecutionRequest(
    [property: Id(0)] string Task,
    [property: Id(1)] JsonElement? Context = null);
