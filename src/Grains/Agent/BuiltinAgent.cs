using System.Collections.Immutable;
using Orleans.Agent.Events;
using Orleans.Agent.Execution;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Agent;

/// <summary>
/// The offline, deterministic model "builtin": from the task text it makes a three-phase plan, thinks about the
/// task's key terms and calls its built-in tools, so one run shows every event type without any provider.
/// With <c>context.workload</c> it runs <see cref="SyntheticWorkloadRun"/> instead. Tokens are counted as words
/// read and written, the closest deterministic stand-in for a tokenizer.
/// </summary>
public sealed class BuiltinAgent : IAgentRunner
{
    public Task<AgentOutcome> Run(ExecutionRequest request, ExecutionEventEmitter emit, CancellationToken cancellationToken)
    {
        // The API validated the workload already; an invalid one here runs as a plain task.
        return SyntheticWorkload.TryRead(request.Context, out var workload, out _) && workload is not null
            ? SyntheticWorkloadRun.Run(workload, emit, cancellationToken)
            : RunTask(request.Task, emit, cancellationToken);
    }

    private static async Task<AgentOutcome> RunTask(string task, ExecutionEventEmitter emit, CancellationToken cancellationToken)
    {
        var tokens = new TokenCounter();
        var topic = Shorten(task.Trim(), 80);
        var phases = ImmutableArray.Create(
            new PlanPhase("understand", "Understand the request", PhaseStatus.Pending),
            new PlanPhase("draft", $"Draft: {topic}", PhaseStatus.Pending),
            new PlanPhase("review", "Review the result", PhaseStatus.Pending));
        tokens.Read(task);
        await emit.PlanCreated(new ExecutionPlan(task.Trim(), phases));

        await emit.PhaseStart(phases[0], 0);
        await Think(emit, tokens, $"The task is \"{topic}\". I will measure it and pick out its key terms first.");
        var stats = await emit.CallTool(
            BuiltinTools.TextStats, new { text = task }, _ => ValueTask.FromResult(BuiltinTools.ComputeTextStats(task)), cancellationToken);
        var keywords = stats?.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!).ToArray() ?? [];
        await Think(emit, tokens, keywords.Length == 0
            ? "The task has no distinctive terms; the draft will follow its wording."
            : $"The key terms are {string.Join(", ", keywords)}; the draft will be organised around them.");
        await emit.PhaseComplete(phases[0]);

        await emit.PhaseStart(phases[1], 1);
        await Think(emit, tokens, $"Drafting an outline with an overview, {keywords.Length} topical sections and next steps.");
        var outline = await emit.CallTool(
            BuiltinTools.Outline, new { topic, keywords }, _ => ValueTask.FromResult(BuiltinTools.ComputeOutline(topic, keywords)), cancellationToken);
        var sections = outline?.GetProperty("sections").EnumerateArray().Select(s => s.GetString()!).ToArray() ?? [];
        await emit.PhaseComplete(phases[1]);

        await emit.PhaseStart(phases[2], 2);
        var covered = keywords.Count(k => sections.Any(s => s.Contains(k, StringComparison.OrdinalIgnoreCase)));
        await Think(emit, tokens, $"Checking the outline: {covered} of {keywords.Length} key terms have a section of their own.");
        await emit.PhaseComplete(phases[2]);

        var result = $"Outline for \"{topic}\": " + string.Join("; ", sections.Select((s, i) => $"{i + 1}. {s}"));
        tokens.Write(result);
        return new AgentOutcome(result, tokens.Usage);
    }

    private static Task Think(ExecutionEventEmitter emit, TokenCounter tokens, string thought)
    {
        tokens.Write(thought);
        return emit.Thinking(thought);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private sealed class TokenCounter
    {
        private long _input;
        private long _output;

        public TokenUsage Usage => new(_input, _output);

        public void Read(string text) => _input += Count(text);

        public void Write(string text) => _output += Count(text);

        private static int Count(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
