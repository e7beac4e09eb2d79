using Microsoft.Extensions.DependencyInjection;
using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Models;
using Orleans.Agent.Grains.Tools;
using Orleans.Agent.Grains.Workspaces;
using Orleans.Agent.LiveText;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// The agent loop, the same for every model: a planning turn in which the model must call <c>create_plan</c>;
/// then, phase by phase, turns in which it thinks (streamed text, coalesced into <c>thinking</c> events) and calls
/// tools until it answers without a tool call; then a final turn whose text is the result. Tool errors go back to
/// the model. Limits on model calls and wall-clock time end runaway runs with an error code.
/// A request with <c>context.workload</c> runs the synthetic load-test workload instead.
/// </summary>
public sealed class AgentLoop(
    ModelCatalog models,
    IServiceProvider services,
    ToolRegistry tools,
    IOptions<ModelOptions> modelOptions,
    IOptions<WorkspaceOptions> workspaceOptions) : IAgentRunner
{
    private const int MaxPhases = 10;

    private static readonly AITool CreatePlan = AIFunctionFactory.CreateDeclaration(
        LoopPrompts.CreatePlanTool,
        "Record the plan: a goal and the phases to go through, in order.",
        AIJsonUtilities.CreateJsonSchema(typeof(PlanArguments), serializerOptions: AgentJson.Options));

    public async Task<AgentOutcome> Run(
        string executionId, ExecutionRequest request, ExecutionEventEmitter emit, IReadOnlyList<AgentEvent> history, CancellationToken cancellationToken)
    {
        var options = modelOptions.Value;
        using var timeLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeLimit.CancelAfter(options.MaxDuration);
        var run = new Conversation(
            services.GetRequiredKeyedService<IChatClient>(ExecutionModels.Requested(request.Context) ?? models.Default),
            emit,
            new ToolContext(executionId, ExecutionWorkspace.For(executionId, workspaceOptions.Value)),
            options);
        run.Messages.Add(new ChatMessage(ChatRole.System, LoopPrompts.System));
        run.Messages.Add(new ChatMessage(ChatRole.User, LoopPrompts.Task(request.Task, request.Context?.GetRawText())));
        try
        {
            // After a silo failure the conversation is rebuilt from the log: no completed turn or tool call is redone.
            var replay = ConversationReplay.From(history);
            return await RunPhases(run, replay.Plan is null ? null : replay, timeLimit.Token);
        }
        catch (OperationCanceledException) when (timeLimit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new AgentFailureException(ExecutionFailures.TimeLimitReached(options.MaxDuration));
        }
    }

    private async Task<AgentOutcome> RunPhases(Conversation run, ConversationReplay? resumed, CancellationToken cancellationToken)
    {
        ExecutionPlan plan;
        var firstPhase = 0;
        var firstPhaseStarted = false;
        if (resumed is not null)
        {
            plan = resumed.Plan!;
            if (resumed.InterruptedCall is { } interrupted)
            {
                const string error = "Interrupted: the silo running this call failed; it was not run again.";
                await run.Emit.ToolComplete(interrupted.ToolName, interrupted.CallId, null, error, 0);
                resumed.CompleteInterrupted(error);
            }

            run.Resume(resumed.Messages, resumed.Turns);
            (firstPhase, firstPhaseStarted) = (resumed.PhaseIndex, resumed.PhaseStarted);
        }
        else
        {
            var planning = await run.Turn([CreatePlan], ChatToolMode.RequireAny, TurnText.ThoughtsAfterPlan, cancellationToken);
            plan = ReadPlan(planning.Response, run);
            await run.Emit.PlanCreated(plan);
            foreach (var thought in planning.Thoughts)
            {
                await run.Emit.Thinking(thought);
            }
        }

        for (var i = firstPhase; i < plan.Phases.Length; i++)
        {
            var phase = plan.Phases[i];
            if (i != firstPhase || !firstPhaseStarted)
            {
                await run.Emit.PhaseStart(phase, i);
                run.Messages.Add(new ChatMessage(ChatRole.User, LoopPrompts.Phase(i, plan.Phases.Length, phase.Id, phase.Name)));
            }

            while (true)
            {
                var turn = await run.Turn(tools.Declarations, ChatToolMode.Auto, TurnText.Thoughts, cancellationToken);
                var calls = Calls(turn.Response);
                if (calls.Count == 0)
                {
                    break;
                }

                await CallTools(run, calls, cancellationToken);
            }

            await run.Emit.PhaseComplete(phase);
        }

        run.Messages.Add(new ChatMessage(ChatRole.User, LoopPrompts.Final));
        var result = (await run.Turn(null, null, TurnText.Result, cancellationToken)).Result;
        return new AgentOutcome(result.Length > 0 ? result : "(The model gave no final answer.)", run.Usage);
    }

    /// <summary>The plan from the planning turn's <c>create_plan</c> call; every call of that turn gets an answer.</summary>
    private static ExecutionPlan ReadPlan(ChatResponse planning, Conversation run)
    {
        ExecutionPlan? plan = null;
        var answers = new List<AIContent>();
        foreach (var call in Calls(planning))
        {
            if (call.Name == LoopPrompts.CreatePlanTool && plan is null)
            {
                plan = ToPlan(JsonSerializer.SerializeToElement(call.Arguments, AgentJson.Options));
                answers.Add(new FunctionResultContent(call.CallId, $"Plan recorded with {plan.Phases.Length} phases."));
            }
            else
            {
                answers.Add(new FunctionResultContent(call.CallId, "Error: only one create_plan call is accepted while planning."));
            }
        }

        if (answers.Count > 0)
        {
            run.Messages.Add(new ChatMessage(ChatRole.Tool, answers));
        }

        // A model that will not plan still gets its work done, as one phase.
        return plan ?? new ExecutionPlan("Complete the task", [new PlanPhase("main", "Complete the task", PhaseStatus.Pending)]);
    }

    /// <summary>A usable plan from whatever the model sent: ids made unique, names filled in, at most ten phases.</summary>
    private static ExecutionPlan ToPlan(JsonElement arguments)
    {
        PlanArguments? parsed = null;
        try
        {
            parsed = arguments.Deserialize<PlanArguments>(AgentJson.Options);
        }
        catch (JsonException)
        {
            // Falls back to a one-phase plan below.
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var phases = (parsed?.Phases ?? [])
            .Where(p => p is not null)
            .Take(MaxPhases)
            .Select((p, i) =>
            {
                var id = string.IsNullOrWhiteSpace(p.Id) ? $"phase-{i + 1}" : Clip(p.Id.Trim(), 64);
                while (!ids.Add(id))
                {
                    id = $"{id}-{i + 1}";
                }

                return new PlanPhase(id, string.IsNullOrWhiteSpace(p.Name) ? id : Clip(p.Name.Trim(), 200), PhaseStatus.Pending);
            })
            .ToImmutableArray();
        if (phases.IsEmpty)
        {
            phases = [new PlanPhase("main", "Complete the task", PhaseStatus.Pending)];
        }

        return new ExecutionPlan(Clip(parsed?.Goal?.Trim() is { Length: > 0 } goal ? goal : "Complete the task", 1000), phases);
    }

    private async Task CallTools(Conversation run, List<FunctionCallContent> calls, CancellationToken cancellationToken)
    {
        var answers = new List<AIContent>();
        foreach (var call in calls)
        {
            var arguments = JsonSerializer.SerializeToElement(call.Arguments ?? new Dictionary<string, object?>(), AgentJson.Options);
            var outcome = await run.Emit.CallTool(
                call.Name, arguments, token => InvokeTool(call.Name, arguments, run.Tools, token), cancellationToken, call.CallId);
            answers.Add(new FunctionResultContent(call.CallId, outcome.Error is null ? outcome.Result : $"Error: {outcome.Error}"));
        }

        run.Messages.Add(new ChatMessage(ChatRole.Tool, answers));
    }

    private async Task<JsonElement> InvokeTool(string name, JsonElement arguments, ToolContext context, CancellationToken cancellationToken)
    {
        var tool = tools.Find(name) ?? throw new ToolException($"There is no tool named '{name}'.");
        var timeout = tool.Timeout ?? modelOptions.Value.ToolTimeout;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await tool.Invoke(arguments, context, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ToolException($"{name} did not finish within its limit of {timeout}.");
        }
    }

    private static List<FunctionCallContent> Calls(ChatResponse response) =>
        response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ToList();

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>One execution's conversation with its model, and what it has used so far.</summary>
    private sealed class Conversation(IChatClient client, ExecutionEventEmitter emit, ToolContext tools, ModelOptions options)
    {
        private int _iterations;

        public List<ChatMessage> Messages { get; } = [];

        public ExecutionEventEmitter Emit => emit;

        public ToolContext Tools => tools;

        public ModelOptions Options => options;

        public TokenUsage Usage { get; private set; } = TokenUsage.None;

        /// <summary>Continues a conversation rebuilt from the log. Tokens used before the failure are not in the log.</summary>
        public void Resume(IEnumerable<ChatMessage> messages, int turnsTaken)
        {
            Messages.AddRange(messages);
            _iterations = turnsTaken;
        }

        /// <summary>
        /// One model call, streamed. Its text is written live as it arrives (<see cref="ExecutionEventEmitter.Write"/>)
        /// and becomes, by <paramref name="text"/>, thinking events as each thought completes, thoughts for the caller
        /// to emit after the plan, or the final answer.
        /// </summary>
        public async Task<TurnOutput> Turn(IList<AITool>? offered, ChatToolMode? mode, TurnText text, CancellationToken cancellationToken)
        {
            if (++_iterations > options.MaxIterations)
            {
                throw new AgentFailureException(ExecutionFailures.IterationLimitReached(options.MaxIterations));
            }

            await emit.Checkpoint(); // no model call while earlier steps are not yet durable
            var thoughts = text == TurnText.Result ? null : new ThinkingCoalescer(options.MaxThoughtChars, emit.NextIteration);
            var answer = text == TurnText.Result ? new ResultText() : null;
            var later = new List<string>();
            var deltas = new List<TextDelta>();
            var updates = new List<ChatResponseUpdate>();
            var chatOptions = new ChatOptions { Tools = offered, ToolMode = offered is null ? null : mode };
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync(Messages, chatOptions, cancellationToken))
                {
                    updates.Add(update);
                    if (update.Text is not { Length: > 0 } chunk)
                    {
                        continue;
                    }

                    deltas.Clear();
                    if (answer is not null)
                    {
                        answer.Append(chunk, deltas);
                        emit.Write(deltas);
                    }
                    else
                    {
                        var completed = thoughts!.Append(chunk, deltas);
                        emit.Write(deltas); // a thought's deltas before its event
                        await Completed(completed, text, later);
                    }
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not AgentFailureException)
            {
                throw new AgentFailureException(ExecutionFailures.ModelCallFailed(ex.Message), ex);
            }

            deltas.Clear();
            var result = answer?.Complete(deltas);
            var last = thoughts?.Flush(deltas);
            emit.Write(deltas);
            if (last is not null)
            {
                await Completed([last], text, later);
            }

            var response = updates.ToChatResponse();
            Usage = Usage.Add(new TokenUsage(response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0));
            Messages.AddRange(response.Messages);
            return new TurnOutput(response, later, result ?? "");
        }

        private async Task Completed(IReadOnlyList<string> thoughts, TurnText text, List<string> later)
        {
            if (text == TurnText.ThoughtsAfterPlan)
            {
                later.AddRange(thoughts);
                return;
            }

            foreach (var thought in thoughts)
            {
                await emit.Thinking(thought);
            }
        }
    }

    /// <summary>What a turn's text becomes.</summary>
    private enum TurnText
    {
        /// <summary>Thinking events, each as its thought completes.</summary>
        Thoughts,

        /// <summary>Thoughts the caller emits after the plan (<see cref="TurnOutput.Thoughts"/>), numbered as if emitted at once.</summary>
        ThoughtsAfterPlan,

        /// <summary>The final answer (<see cref="TurnOutput.Result"/>).</summary>
        Result,
    }

    private sealed record TurnOutput(ChatResponse Response, IReadOnlyList<string> Thoughts, string Result);
}
