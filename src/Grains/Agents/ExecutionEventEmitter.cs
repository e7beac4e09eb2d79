using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Observability;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// What the agent loop talks to: one method per event type. Each call hands a typed payload to the execution's
/// sink, which numbers it, appends it to the log and publishes it. A call on an execution that has already
/// ended throws <see cref="OperationCanceledException"/>, which stops the loop. <paramref name="durable"/> completes
/// once every event emitted so far is durable. Tool calls are timed into <paramref name="metrics"/> when given.
/// Text as it is written goes to <paramref name="text"/> (<see cref="Write"/>): live only, never in the log.
/// </summary>
public sealed class ExecutionEventEmitter(
    Func<AgentEventData, Task> sink, Func<Task> durable, ExecutionMetrics? metrics = null, Action<IReadOnlyList<TextDelta>>? text = null)
{
    private int _iteration;
    private int _callCount;

    /// <summary>Continues the counters (thinking iterations, generated call ids) of an execution resumed after <paramref name="history"/>.</summary>
    public void Restore(IReadOnlyList<AgentEvent> history)
    {
        _iteration = history.Count(e => e.Type == AgentEventTypes.Thinking);
        _callCount = history.Count(e => e.Type == AgentEventTypes.ToolStart);
    }

    /// <summary>
    /// Waits until everything emitted so far is durable: before a step with effects outside the execution (a model
    /// call, a tool), so that none is taken whose events could not be recorded, and none is redone after a failover.
    /// </summary>
    public Task Checkpoint() => durable();

    /// <summary>The iteration the next <c>thinking</c> event will carry (its text's id is <c>thinking:{iteration}</c>).</summary>
    public int NextIteration => _iteration + 1;

    /// <summary>
    /// Hands pieces of texts being written (thoughts, the final answer) to whoever watches live. Each text's deltas
    /// must come before the event that holds all of it (<see cref="LiveTextIds"/>).
    /// </summary>
    public void Write(IReadOnlyList<TextDelta> deltas)
    {
        if (deltas.Count > 0)
        {
            text?.Invoke(deltas);
        }
    }

    public Task Started(string task, DateTimeOffset startedAt, string? traceId = null) => sink(new ExecutionStartedData(task, startedAt, traceId));

    public Task PlanCreated(ExecutionPlan plan) => sink(new PlanCreatedData(plan));

    public Task PhaseStart(PlanPhase phase, int phaseIndex) => sink(new PhaseStartData(phase.Id, phase.Name, phaseIndex));

    public Task Thinking(string thought) => sink(new ThinkingData(thought, ++_iteration));

    public Task ToolStart(string toolName, JsonElement parameters, string callId) =>
        sink(new ToolStartData(toolName, parameters, callId));

    public Task ToolComplete(string toolName, string callId, JsonElement? result, string? error, long durationMs) =>
        sink(new ToolCompleteData(toolName, callId, result, error, durationMs));

    public Task PhaseComplete(PlanPhase phase) => sink(new PhaseCompleteData(phase.Id, phase.Name));

    public Task Complete(string result, long durationMs, TokenUsage tokensUsed) =>
        sink(new ExecutionCompleteData(result, durationMs, tokensUsed));

    public Task Error(string error, string code, string? stack) => sink(new ExecutionErrorData(error, code, stack));

    public Task Cancelled(string reason, string by) => sink(new ExecutionCancelledData(reason, by));

    /// <summary>
    /// Runs one tool call between its <c>tool:start</c> and <c>tool:complete</c> events, timing it. A tool that
    /// throws (other than by cancellation) completes with its error and a null result; the loop goes on.
    /// <paramref name="callId"/> is the model's id for the call, or null for a generated one. With
    /// <paramref name="writeAhead"/> the tool runs only once its <c>tool:start</c> is durable (a tool with effects).
    /// A value task: a call whose events are queued and whose tool answers at once (the load tests' no-op) completes
    /// without a task of its own.
    /// </summary>
    public async ValueTask<ToolOutcome> CallTool(
        string toolName,
        JsonElement parameters,
        Func<CancellationToken, Task<JsonElement>> run,
        CancellationToken cancellationToken,
        string? callId = null,
        bool writeAhead = true)
    {
        callId ??= "call_" + (++_callCount).ToString(CultureInfo.InvariantCulture);
        await ToolStart(toolName, parameters, callId);
        if (writeAhead)
        {
            await Checkpoint();
        }

        using var span = AgentTelemetry.StartTool(toolName, callId);
        var began = Stopwatch.GetTimestamp();
        JsonElement? result = null;
        string? error = null;
        try
        {
            result = await run(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            error = ex.Message;
            span.Fail(ex.GetType().Name, ex.Message);
        }

        var took = Stopwatch.GetElapsedTime(began);
        metrics?.ToolCalled(toolName, error is not null, took);
        await ToolComplete(toolName, callId, result, error, (long)took.TotalMilliseconds);
        return new ToolOutcome(result, error);
    }
}
