using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Serialization;
using Orleans.Agent.Events;
using Orleans.Agent.Execution;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Agent;

/// <summary>
/// The built-in model's load-test mode: exactly <see cref="SyntheticWorkload.EventCount"/> events, with
/// <c>delayMs</c> between steps and thoughts of exactly <c>thoughtBytes</c> ASCII characters.
/// </summary>
public static class SyntheticWorkloadRun
{
    private const string NoopTool = "noop";
    private static readonly JsonElement NoopResult = JsonSerializer.SerializeToElement(new { ok = true });

    public static async Task<AgentOutcome> Run(SyntheticWorkload workload, ExecutionEventEmitter emit, CancellationToken cancellationToken)
    {
        var phases = Enumerable.Range(1, workload.Phases)
            .Select(p => new PlanPhase($"phase-{p}", $"Synthetic phase {p}", PhaseStatus.Pending))
            .ToImmutableArray();
        await emit.PlanCreated(new ExecutionPlan($"Synthetic workload: {workload.Phases} phases x {workload.Steps} steps", phases));

        for (var p = 0; p < phases.Length; p++)
        {
            await emit.PhaseStart(phases[p], p);
            for (var step = 1; step <= workload.Steps; step++)
            {
                if (workload.DelayMs > 0)
                {
                    await Task.Delay(workload.DelayMs, cancellationToken);
                }

                cancellationToken.ThrowIfCancellationRequested();
                await emit.Thinking(Thought(p + 1, step, workload.ThoughtBytes));
                await emit.CallTool(
                    NoopTool,
                    JsonSerializer.SerializeToElement(new { phase = p + 1, step }, AgentJson.Options),
                    _ => Task.FromResult(NoopResult),
                    cancellationToken);
            }

            await emit.PhaseComplete(phases[p]);
        }

        return new AgentOutcome($"Synthetic workload done: {workload.EventCount} events.", TokenUsage.None);
    }

    /// <summary>A readable thought of exactly <paramref name="length"/> characters.</summary>
    private static string Thought(int phase, int step, int length)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"Phase {phase}, step {step}: ");
        var text = new StringBuilder(length + head.Length).Append(head);
        while (text.Length < length)
        {
            text.Append("thinking about the next move. ");
        }

        return text.ToString(0, length);
    }
}
