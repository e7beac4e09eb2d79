namespace Orleans.Agent.Executions;

/// <summary>A file an execution's tools wrote: its workspace-relative <paramref name="Path"/> ('/' separated) and size.</summary>
[GenerateSerializer, Immutable]
public sealed record WorkspaceFile(
    [property: Id(0)] string Path,
    [property: Id(1)] long Size);
