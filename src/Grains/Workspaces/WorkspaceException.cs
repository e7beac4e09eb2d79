namespace Orleans.Agent.Grains.Workspaces;

/// <summary>A refused workspace operation; its message is meant for the model (as a tool error) and for API clients.</summary>
public sealed class WorkspaceException(string message) : Exception(message);
