using Orleans.Agent.Grains.Workspaces;

namespace Orleans.Agent.Grains.Tools;

/// <summary>What a tool call may use: the execution it runs for and that execution's sandboxed workspace.</summary>
public sealed record ToolContext(string ExecutionId, ExecutionWorkspace Workspace);
