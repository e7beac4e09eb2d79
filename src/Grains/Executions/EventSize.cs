using System.Runtime.InteropServices;
using System.Text.Json;
using Orleans.Agent.Events;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// About how many bytes an event takes on the wire: its variable parts (texts, tool params and results) plus a fixed
/// allowance for the envelope. Cheap enough to run on every event a read returns; it sizes pages, not bills.
/// </summary>
public static class EventSize
{
    private const int Envelope = 200;

    public static long Estimate(AgentEvent evt) => Envelope + evt.Data switch
    {
        ThinkingData t => t.Thought.Length,
        ToolStartData s => Raw(s.Params),
        ToolCompleteData c => (c.Result is { } result ? Raw(result) : 0) + (c.Error?.Length ?? 0),
        ExecutionCompleteData x => x.Result.Length,
        ExecutionErrorData e => e.Error.Length + (e.Stack?.Length ?? 0),
        ExecutionStartedData s => s.Task.Length,
        ExecutionCancelledData c => c.Reason.Length,
        PlanCreatedData p => p.Plan.Goal.Length + p.Plan.Phases.Sum(phase => phase.Id.Length + phase.Name.Length + 40),
        _ => 0,
    };

    /// <summary>How many of <paramref name="events"/>, from the first, fit in <paramref name="budget"/> bytes; at least one.</summary>
    public static int Fit(ReadOnlySpan<AgentEvent> events, long budget)
    {
        long total = 0;
        for (var i = 0; i < events.Length; i++)
        {
            total += Estimate(events[i]);
            if (total > budget)
            {
                return Math.Max(1, i);
            }
        }

        return events.Length;
    }

    private static int Raw(JsonElement element) => element.ValueKind == JsonValueKind.Undefined ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;
}
