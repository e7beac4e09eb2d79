using System.Text.Json;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// The persisted record of an execution: who owns it, what was asked, and, once it has ended, its final snapshot
/// (so the snapshot survives log retention). The events themselves live in the <see cref="Storage.IExecutionLogStore"/>.
/// </summary>
[GenerateSerializer]
public sealed class ExecutionState
{
    [Id(0)] public string? OwnerId { get; set; }

    /// <summary>The task text; the context is kept as raw JSON (<see cref="ContextJson"/>) so any storage serializer keeps it intact.</summary>
    [Id(1)] public string? Task { get; set; }

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }
    [Id(3)] public ExecutionSnapshot? FinalSnapshot { get; set; }
    [Id(4)] public string? ContextJson { get; set; }
    [Id(5)] public string? TraceParent { get; set; }

    /// <summary>Runs of the loop so far: 1 from the start, one more at each resume. Numbers its live texts (<c>LiveTextBatch.Epoch</c>).</summary>
    [Id(6)] public long Runs { get; set; }

    // Methods, not a property: JSON-based storage serializers must see only the stored fields.

    /// <summary>The request as it was made, or null before the execution started.</summary>
    public ExecutionRequest? GetRequest()
    {
        if (Task is null)
        {
            return null;
        }

        using var context = ContextJson is null ? null : JsonDocument.Parse(ContextJson);
        return new ExecutionRequest(Task, context?.RootElement.Clone(), TraceParent);
    }

    public void SetRequest(ExecutionRequest request)
    {
        Task = request.Task;
        ContextJson = request.Context?.GetRawText();
        TraceParent = request.TraceParent;
    }
}
