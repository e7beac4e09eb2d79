namespace Orleans.Agent.Events;

/// <summary>The wire names of every event type (the SSE <c>event:</c> field and the event's <c>type</c>).</summary>
public static class AgentEventTypes
{
    public const string ExecutionStarted = "execution:started";
    public const string PlanCreated = "plan:created";
    public const string PhaseStart = "phase:start";
    public const string Thinking = "thinking";
    public const string ToolStart = "tool:start";
    public const string ToolComplete = "tool:complete";
    public const string PhaseComplete = "phase:complete";
    public const string ExecutionComplete = "execution:complete";
    public const string ExecutionError = "execution:error";
    public const string ExecutionCancelled = "execution:cancelled";

    /// <summary>The payload type carried by each event type, in the order an execution emits them.</summary>
    public static IReadOnlyDictionary<string, Type> PayloadTypes { get; } = new Dictionary<string, Type>
    {
        [ExecutionStarted] = typeof(ExecutionStartedData),
        [PlanCreated] = typeof(PlanCreatedData),
        [PhaseStart] = typeof(PhaseStartData),
        [Thinking] = typeof(ThinkingData),
        [ToolStart] = typeof(ToolStartData),
        [ToolComplete] = typeof(ToolCompleteData),
        [PhaseComplete] = typeof(PhaseCompleteData),
        [ExecutionComplete] = typeof(ExecutionCompleteData),
        [ExecutionError] = typeof(ExecutionErrorData),
        [ExecutionCancelled] = typeof(ExecutionCancelledData),
    };

    /// <summary>True for the three types that end an execution; nothing follows them.</summary>
    public static bool IsTerminal(string type) =>
        type is ExecutionComplete or ExecutionError or ExecutionCancelled;
}
