namespace Orleans.Agent.Grains.Tools;

/// <summary>A tool failure whose message is meant for the model (it goes back to it as the call's error).</summary>
public sealed class ToolException(string message) : Exception(message);
