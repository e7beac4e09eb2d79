using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// The built-in model's load-test mode: exactly <see cref="SyntheticWorkload.EventCount"/> events, with
/// <c>delayMs</c> between steps and thoughts of exactly <c>thoughtBytes</c> ASCII characters.
/// </summary>
public static class SyntheticWorkloadRun
{
    private const string NoopTool = "noop";
    private const string ThoughtFiller = "thinking about the next move. ";
    private static readonly Task<JsonElement> NoopResult = Task.FromResult(JsonSerializer.SerializeToElement(new { ok = true }));

    /// <summary>
    /// Runs the workload, or continues it after <paramref name="history"/> (its silo died): every step is checkpointed
    /// by the log itself (thinking, tool:start, tool:complete), so completed steps are skipped, a step cut after its
    /// thought makes its tool call, and a tool call cut mid-way is completed as interrupted rather than run twice.
    /// </summary>
    public static async Task<AgentOutcome> Run(
        SyntheticWorkload workload, ExecutionEventEmitter emit, IReadOnlyList<AgentEvent> history, CancellationToken cancellationToken)
    {
        var phases = Enumerable.Range(1, workload.Phases)
            .Select(p => new PlanPhase($"phase-{p}", $"Synthetic phase {p}", PhaseStatus.Pending))
            .ToImmutableArray();
        if (!history.Any(e => e.Type == AgentEventTypes.PlanCreated))
        {
            await emit.PlanCreated(new ExecutionPlan($"Synthetic workload: {workload.Phases} phases x {workload.Steps} steps", phases));
        }

        for (var p = 0; p < phases.Length; p++)
        {
            var done = PhaseProgress(history, phases[p].Id);
            if (done.Completed)
            {
                continue;
            }

            if (!done.Started)
            {
                await emit.PhaseStart(phases[p], p);
            }

            var step = done.StepEvents / 3 + 1;
            switch (done.StepEvents % 3)
            {
                case 1: // the thought is durable; its tool call never started
                    await CallNoop(emit, p + 1, step, workload.ToolBytes, cancellationToken);
                    step++;
                    break;
                case 2: // the tool call started on the dead silo: complete it, never run it twice
                    await emit.ToolComplete(NoopTool, done.LastCallId!, null, "Interrupted: the silo running this call failed; it was not run again.", 0);
                    step++;
                    break;
            }

            for (; step <= workload.Steps; step++)
            {
                if (workload.DelayMs > 0)
                {
                    await Task.Delay(workload.DelayMs, cancellationToken);
                }

                cancellationToken.ThrowIfCancellationRequested();
                var thought = workload.DeltaChars > 0
                    ? await WriteLive(workload, emit, cancellationToken)
                    : Thought(p + 1, step, workload.ThoughtBytes);
                await emit.Thinking(thought);
                await CallNoop(emit, p + 1, step, workload.ToolBytes, cancellationToken);
            }

            await emit.PhaseComplete(phases[p]);
        }

        return new AgentOutcome($"Synthetic workload done: {workload.EventCount} events.", TokenUsage.None);
    }

    private static ValueTask<ToolOutcome> CallNoop(ExecutionEventEmitter emit, int phase, int step, int toolBytes, CancellationToken cancellationToken) =>
        emit.CallTool(
            NoopTool,
            toolBytes == 0
                ? JsonSerializer.SerializeToElement(new { phase, step }, AgentJson.Options)
                : JsonSerializer.SerializeToElement(new { phase, step, data = new string('d', toolBytes) }, AgentJson.Options),
            _ => NoopResult,
            cancellationToken,
            writeAhead: false); // a no-op has no effect to record first; its events still wait while the store fails

    /// <summary>What the log says of one phase: started, completed, step events so far, the last tool call id.</summary>
    private static (bool Started, bool Completed, int StepEvents, string? LastCallId) PhaseProgress(IReadOnlyList<AgentEvent> history, string phaseId)
    {
        var start = -1;
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Data is PhaseStartData s && s.PhaseId == phaseId)
            {
                start = i;
            }
            else if (history[i].Data is PhaseCompleteData c && c.PhaseId == phaseId)
            {
                return (true, true, 0, null);
            }
        }

        if (start < 0)
        {
            return (false, false, 0, null);
        }

        var steps = history.Skip(start + 1).ToList();
        return (true, false, steps.Count, steps.Select(e => e.Data).OfType<ToolStartData>().LastOrDefault()?.CallId);
    }

    /// <summary>
    /// Writes the next thought live, a piece at a time, each stamped with the time it is written; returns the whole
    /// thought (exactly <c>thoughtBytes</c> characters), which its deltas spell.
    /// </summary>
    private static async Task<string> WriteLive(SyntheticWorkload workload, ExecutionEventEmitter emit, CancellationToken cancellationToken)
    {
        var textId = LiveTextIds.Thinking(emit.NextIteration);
        var thought = new StringBuilder(workload.ThoughtBytes);
        while (thought.Length < workload.ThoughtBytes)
        {
            if (thought.Length > 0)
            {
                if (workload.DeltaDelayMs > 0)
                {
                    await Task.Delay(workload.DeltaDelayMs, cancellationToken);
                }
                else
                {
                    await Task.Yield();
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            var piece = new StringBuilder(workload.DeltaChars)
                .Append(CultureInfo.InvariantCulture, $"@{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds():D13} ");
            while (piece.Length < workload.DeltaChars)
            {
                piece.Append(ThoughtFiller);
            }

            var text = piece.ToString(0, Math.Min(workload.DeltaChars, workload.ThoughtBytes - thought.Length));
            emit.Write([new TextDelta(textId, thought.Length, text)]);
            thought.Append(text);
        }

        return thought.ToString();
    }

    /// <summary>A readable thought of exactly <paramref name="length"/> characters.</summary>
    /// <remarks>
    /// Written straight into the string: a load test runs this for a third of its events, on the product and the
    /// baseline alike, and a builder cost three allocations of the thought's size (docs/benchmarks.md item 36).
    /// </remarks>
    private static string Thought(int phase, int step, int length)
    {
        var head = string.Create(CultureInfo.InvariantCulture, $"Phase {phase}, step {step}: ");
        return string.Create(length, head, static (text, head) =>
        {
            var written = Math.Min(head.Length, text.Length);
            head.AsSpan(0, written).CopyTo(text);
            for (var rest = text[written..]; !rest.IsEmpty; rest = rest[Math.Min(rest.Length, ThoughtFiller.Length)..])
            {
                ThoughtFiller.AsSpan(0, Math.Min(rest.Length, ThoughtFiller.Length)).CopyTo(rest);
            }
        });
    }
}
