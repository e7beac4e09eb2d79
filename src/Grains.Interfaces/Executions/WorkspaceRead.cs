namespace Orleans.Agent.Executions;

/// <summary>
/// The answer to reading a workspace file: its <paramref name="Content"/>, or an <paramref name="Error"/> when the
/// path is not acceptable (outside the workspace, absolute, through a link); both null when there is no such file.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record WorkspaceRead(
    [property: Id(0)] byte[]? Content,
    [property: Id(1)] string? Error);
