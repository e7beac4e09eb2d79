using System.Text.Json;

namespace Orleans.Agent.Grains.Agents;

/// <summary>
/// <c>context.workload</c>, for load tests: a run of a fixed, sized sequence of events instead of the model's
/// (see <see cref="SyntheticWorkloadRunner"/>):
/// <c>3 + Phases x (2 + 3 x Steps)</c> events, one step every <see cref="DelayMs"/>. With <see cref="DeltaChars"/>, each
/// thought is also written live first, in pieces of that many characters one every <see cref="DeltaDelayMs"/>; each
/// piece starts with <c>@</c> and the Unix time in milliseconds it was written, so a client can measure how long a
/// piece took to reach it. With <see cref="ToolBytes"/>, each tool call's params carry a string of that many characters.
/// </summary>
public sealed record SyntheticWorkload(int Phases, int Steps, int DelayMs, int ThoughtBytes, int DeltaChars = 0, int DeltaDelayMs = 0, int ToolBytes = 0)
{
    /// <summary>The shortest piece: room for its time stamp (<c>@</c>, 13 digits, a space) and one character more.</summary>
    public const int MinDeltaChars = 16;

    public const int MaxPhases = 1_000;
    public const int MaxSteps = 10_000;
    public const int MaxDelayMs = 3_600_000;
    public const int MaxThoughtBytes = 1 << 20;
    public const long MaxEvents = 1_000_000;

    /// <summary>The number of events an execution with this workload emits, terminal event included.</summary>
    public long EventCount => 3 + (long)Phases * (2 + 3L * Steps);

    /// <summary>
    /// Reads <c>context.workload</c>. Returns false with an <paramref name="error"/> a client can act on when it
    /// is present but invalid; true with a null <paramref name="workload"/> when there is none.
    /// </summary>
    public static bool TryRead(JsonElement? context, out SyntheticWorkload? workload, out string? error)
    {
        workload = null;
        error = null;
        if (context is not { ValueKind: JsonValueKind.Object } ctx || !ctx.TryGetProperty("workload", out var w))
        {
            return true;
        }

        if (w.ValueKind != JsonValueKind.Object)
        {
            error = "context.workload must be an object {phases, steps, delayMs, thoughtBytes[, deltaChars, deltaDelayMs, toolBytes]}.";
            return false;
        }

        if (!TryReadInt(w, "phases", 1, MaxPhases, out var phases, ref error)
            | !TryReadInt(w, "steps", 0, MaxSteps, out var steps, ref error)
            | !TryReadInt(w, "delayMs", 0, MaxDelayMs, out var delayMs, ref error)
            | !TryReadInt(w, "thoughtBytes", 0, MaxThoughtBytes, out var thoughtBytes, ref error)
            | !TryReadOptionalInt(w, "deltaChars", MinDeltaChars, MaxThoughtBytes, out var deltaChars, ref error)
            | !TryReadOptionalInt(w, "deltaDelayMs", 0, MaxDelayMs, out var deltaDelayMs, ref error)
            | !TryReadOptionalInt(w, "toolBytes", 1, MaxThoughtBytes, out var toolBytes, ref error))
        {
            return false;
        }

        var candidate = new SyntheticWorkload(phases, steps, delayMs, thoughtBytes, deltaChars, deltaDelayMs, toolBytes);
        if (candidate.EventCount > MaxEvents)
        {
            error = $"context.workload would emit {candidate.EventCount} events; the limit is {MaxEvents}.";
            return false;
        }

        workload = candidate;
        return true;
    }

    /// <summary>Absent is 0 (off); present, it must lie in the range.</summary>
    private static bool TryReadOptionalInt(JsonElement workload, string name, int min, int max, out int value, ref string? error)
    {
        value = 0;
        return !workload.TryGetProperty(name, out _) || TryReadInt(workload, name, min, max, out value, ref error);
    }

    private static bool TryReadInt(JsonElement workload, string name, int min, int max, out int value, ref string? error)
    {
        value = 0;
        if (workload.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.Number
            && property.TryGetInt32(out value)
            && value >= min && value <= max)
        {
            return true;
        }

        error ??= $"context.workload.{name} must be an integer from {min} to {max}.";
        return false;
    }
}
