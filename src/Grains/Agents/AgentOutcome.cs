using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Agents;

/// <summary>What an agent run produced: its final answer and the model tokens it used.</summary>
public sealed record AgentOutcome(string Result, TokenUsage TokensUsed);
