using System.Collections.Immutable;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// The one fold from an event log to an <see cref="ExecutionSnapshot"/>. The grain applies it to the whole log when
/// it activates, and to the events appended since whenever its snapshot is read, so the snapshot is always the log's
/// summary.
/// </summary>
public static class ExecutionSnapshotFold
{
    /// <summary>The snapshot of an execution that has no events yet.</summary>
    public static ExecutionSnapshot Initial(string executionId, ExecutionRequest request, DateTimeOffset createdAt) =>
        new(executionId, ExecutionStatus.Pending, request.Task, createdAt, LastSequence: 0, TraceId: AgentTelemetry.TraceId(request.TraceParent));

    /// <summary>The snapshot after <paramref name="events"/>, in order (a whole log, or the events since the last fold).</summary>
    /// <remarks>
    /// One new snapshot per event that changes more than counters, and one for the counters at the end: most of an
    /// agent's events (thoughts, tool calls) only move <see cref="ExecutionSnapshot.LastSequence"/> and
    /// <see cref="ExecutionSnapshot.ToolCalls"/>.
    /// </remarks>
    public static ExecutionSnapshot Apply(ExecutionSnapshot s, ReadOnlySpan<AgentEvent> events)
    {
        if (events.IsEmpty)
        {
            return s;
        }

        var toolCalls = s.ToolCalls;
        for (var i = 0; i < events.Length; i++)
        {
            if (events[i].Data is ToolStartData)
            {
                toolCalls++;
            }
            else
            {
                s = ApplyData(s, events[i]);
            }
        }

        return s with { LastSequence = events[^1].Sequence, ToolCalls = toolCalls };
    }

    /// <summary>What <paramref name="e"/> changes besides the counters; <paramref name="s"/> itself when nothing.</summary>
    private static ExecutionSnapshot ApplyData(ExecutionSnapshot s, AgentEvent e) => e.Data switch
    {
        ExecutionStartedData d => s with { Status = ExecutionStatus.Running, StartedAt = d.StartedAt },
        PlanCreatedData d => s with { Plan = d.Plan },
        PhaseStartData d => s with { Plan = WithPhaseStatus(s.Plan, d.PhaseId, PhaseStatus.Running), CurrentPhaseId = d.PhaseId },
        PhaseCompleteData d => s with { Plan = WithPhaseStatus(s.Plan, d.PhaseId, PhaseStatus.Completed), CurrentPhaseId = null },
        ExecutionCompleteData d => s with
        {
            Status = ExecutionStatus.Completed, CompletedAt = e.Timestamp, Result = d.Result, TokensUsed = d.TokensUsed,
        },
        ExecutionErrorData d => s with { Status = ExecutionStatus.Failed, CompletedAt = e.Timestamp, Error = d.Error },
        ExecutionCancelledData d => s with { Status = ExecutionStatus.Cancelled, CompletedAt = e.Timestamp, Error = d.Reason },
        _ => s,
    };

    private static ExecutionPlan? WithPhaseStatus(ExecutionPlan? plan, string phaseId, PhaseStatus status) =>
        plan is null
            ? null
            : plan with { Phases = plan.Phases.Select(p => p.Id == phaseId ? p with { Status = status } : p).ToImmutableArray() };
}
