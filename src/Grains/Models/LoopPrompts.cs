namespace Orleans.Agent.Grains.Models;

/// <summary>
/// The words the loop says to the model. Each step's user message starts with a bracketed marker, which keeps the
/// conversation easy to read in logs and lets the offline built-in model follow the loop without guessing.
/// </summary>
public static class LoopPrompts
{
    public const string CreatePlanTool = "create_plan";
    public const string FinalMarker = "[final]";

    public const string System = """
        You are an autonomous agent that completes the user's task in phases.
        First call create_plan exactly once with a goal and 1 to 10 phases (short ids and names).
        Then you will be asked to work on each phase in turn: use the tools as needed and think out loud briefly
        before each tool call. When a phase is done, answer with a short summary and no tool call.
        Finally you will be asked for the final result: answer with it, in plain text, without tool calls.
        """;

    public static string Final => $"{FinalMarker} All phases are done. Reply with the final result for the user, without tool calls.";

    public static string Task(string task, string? contextJson) =>
        contextJson is null ? $"Task: {task}" : $"Task: {task}\nContext (JSON): {contextJson}";

    public static string PhaseMarker(string phaseId) => $"[phase {phaseId}]";

    public static string Phase(int index, int count, string phaseId, string phaseName) =>
        $"{PhaseMarker(phaseId)} Work on phase {index + 1} of {count}: {phaseName}. Use tools as needed; when this phase is done, reply with a short summary and no tool call.";
}
