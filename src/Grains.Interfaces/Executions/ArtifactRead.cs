namespace Orleans.Agent.Executions;

/// <summary>The answer to reading an execution's artifact: its bytes (JSON), or null when it has none of that name.</summary>
[GenerateSerializer, Immutable]
public sealed record ArtifactRead([property: Id(0)] byte[]? Content);
