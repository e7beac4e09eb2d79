using System.Text.Json;

namespace Orleans.Agent.Grains.Agents;

/// <summary>How a tool call ended: a result, or an error message (then the result is null).</summary>
public readonly record struct ToolOutcome(JsonElement? Result, string? Error);
