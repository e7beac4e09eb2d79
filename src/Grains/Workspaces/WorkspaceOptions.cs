using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Grains.Workspaces;

/// <summary>Configuration section <c>Workspace</c>: where and how much each execution may write.</summary>
public sealed class WorkspaceOptions
{
    public const string Section = "Workspace";

    /// <summary>Each execution gets the folder <c>{Root}/{executionId}</c>. Empty means the system temp folder.</summary>
    public string Root { get; set; } = "";

    /// <summary>Largest file a tool may write.</summary>
    [Range(1, 100 * 1024 * 1024)] public int MaxFileBytes { get; set; } = 1024 * 1024;

    /// <summary>Most files one execution's workspace may hold.</summary>
    [Range(1, 100_000)] public int MaxFiles { get; set; } = 100;

    /// <summary>The root folder actually used.</summary>
    public string ResolvedRoot =>
        Path.GetFullPath(string.IsNullOrWhiteSpace(Root) ? Path.Combine(Path.GetTempPath(), "orleans-agent", "workspaces") : Root);
}
