using System.Text.Json;
using Microsoft.Extensions.AI;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Models;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// Rebuilds a model conversation from an execution's durable log, so a run whose silo died continues without
/// redoing a completed model turn or tool call. The log holds everything the model said and did: the plan, its
/// thoughts, each tool call with its id and arguments, each result or error.
/// </summary>
public sealed class ConversationReplay
{
    /// <summary>The call id given to the replayed <c>create_plan</c> call (the log does not keep the original).</summary>
    private const string PlanCallId = "plan";

    private ConversationReplay()
    {
    }

    /// <summary>The plan, or null when the planning turn never completed (then the run starts over, side-effect free).</summary>
    public ExecutionPlan? Plan { get; private set; }

    /// <summary>The conversation after the system prompt and the task.</summary>
    public List<ChatMessage> Messages { get; } = [];

    /// <summary>The phase to continue with (the plan's length when every phase is done).</summary>
    public int PhaseIndex { get; private set; }

    /// <summary>Whether that phase's <c>phase:start</c> is already in the log.</summary>
    public bool PhaseStarted { get; private set; }

    /// <summary>A tool call that started but never completed: it is completed as interrupted, never run again.</summary>
    public (string CallId, string ToolName)? InterruptedCall { get; private set; }

    /// <summary>Model turns already taken (they count against the iteration limit).</summary>
    public int Turns => Messages.Count(m => m.Role == ChatRole.Assistant);

    public static ConversationReplay From(IReadOnlyList<AgentEvent> history)
    {
        var replay = new ConversationReplay();
        ChatMessage? assistant = null;
        ChatMessage? results = null;
        var open = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var evt in history)
        {
            switch (evt.Data)
            {
                case PlanCreatedData plan:
                    replay.Plan = plan.Plan;
                    var arguments = JsonSerializer.SerializeToElement(
                        new { goal = plan.Plan.Goal, phases = plan.Plan.Phases.Select(p => new { id = p.Id, name = p.Name }) }, AgentJson.Options);
                    assistant = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent(PlanCallId, LoopPrompts.CreatePlanTool, ToArguments(arguments))]);
                    replay.Messages.Add(assistant);
                    replay.Messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(PlanCallId, $"Plan recorded with {plan.Plan.Phases.Length} phases.")]));
                    break;
                case ThinkingData thought when replay.Plan is not null && !replay.PhaseStarted:
                    // The planning turn's text, which the loop emits after plan:created: it goes before the call.
                    assistant!.Contents.Insert(assistant.Contents.Count - 1, new TextContent(thought.Thought + "\n\n"));
                    break;
                case PhaseStartData start:
                    replay.PhaseIndex = start.PhaseIndex;
                    replay.PhaseStarted = true;
                    replay.Messages.Add(new ChatMessage(ChatRole.User, LoopPrompts.Phase(start.PhaseIndex, replay.Plan!.Phases.Length, start.PhaseId, start.PhaseName)));
                    (assistant, results) = (null, null);
                    break;
                case ThinkingData thought:
                    assistant = replay.TurnFor(assistant, ref results);
                    assistant.Contents.Add(new TextContent(thought.Thought + "\n\n"));
                    break;
                case ToolStartData call:
                    assistant = replay.TurnFor(assistant, ref results);
                    assistant.Contents.Add(new FunctionCallContent(call.CallId, call.ToolName, ToArguments(call.Params)));
                    open[call.CallId] = call.ToolName;
                    break;
                case ToolCompleteData done:
                    open.Remove(done.CallId);
                    results ??= replay.Add(new ChatMessage(ChatRole.Tool, []));
                    results.Contents.Add(new FunctionResultContent(done.CallId, done.Error is null ? done.Result : $"Error: {done.Error}"));
                    break;
                case PhaseCompleteData:
                    replay.PhaseIndex++;
                    replay.PhaseStarted = false;
                    (assistant, results) = (null, null);
                    break;
            }
        }

        if (open.Count > 0)
        {
            var (callId, toolName) = open.First();
            replay.InterruptedCall = (callId, toolName);
        }
        else if (replay.PhaseStarted && replay.Messages[^1].Role == ChatRole.Assistant)
        {
            // A text-only turn without its phase:complete may have been cut while streaming: take it again.
            replay.Messages.RemoveAt(replay.Messages.Count - 1);
        }

        return replay;
    }

    /// <summary>Adds the interrupted call's result to the conversation, as the error the log now records.</summary>
    public void CompleteInterrupted(string error)
    {
        var (callId, _) = InterruptedCall!.Value;
        var results = Messages[^1].Role == ChatRole.Tool ? Messages[^1] : Add(new ChatMessage(ChatRole.Tool, []));
        results.Contents.Add(new FunctionResultContent(callId, $"Error: {error}"));
        InterruptedCall = null;
    }

    /// <summary>The assistant message a thought or call belongs to: a new turn begins after tool results.</summary>
    private ChatMessage TurnFor(ChatMessage? current, ref ChatMessage? results)
    {
        if (current is not null && results is null)
        {
            return current;
        }

        results = null;
        return Add(new ChatMessage(ChatRole.Assistant, []));
    }

    private ChatMessage Add(ChatMessage message)
    {
        Messages.Add(message);
        return message;
    }

    private static Dictionary<string, object?> ToArguments(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
            ? json.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone())
            : [];
}
