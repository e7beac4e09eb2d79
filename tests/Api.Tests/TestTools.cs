using System.Collections.Concurrent;
using System.Text.Json;
using Orleans.Agent.Grains.Tools;

namespace Orleans.Agent.Tests;

/// <summary>What the test tools saw, shared with the tests through DI.</summary>
public sealed class ToolProbe
{
    /// <summary>Execution ids whose slow_wait call saw its cancellation token fire.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();
}

/// <summary>
/// Waits as long as asked, honouring its token: the tool a cancel or a timeout must interrupt.
/// <paramref name="timeout"/> null means the configured default (<c>Model:ToolTimeout</c>).
/// </summary>
public sealed class WaitTool(ToolProbe probe, string name, TimeSpan? timeout) : AgentTool<WaitTool.Arguments>
{
    public sealed record Arguments(int Milliseconds);

    public override string Name => name;

    public override string Description => "Waits.";

    public override TimeSpan? Timeout => timeout;

    protected override async Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(arguments.Milliseconds, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.Enqueue(context.ExecutionId);
            throw;
        }

        return Json(new { waited = arguments.Milliseconds });
    }
}

/// <summary>Always fails: its error must reach the model.</summary>
public sealed class FailingTool : AgentTool<FailingTool.Arguments>
{
    public sealed record Arguments;

    public override string Name => "failing_tool";

    public override string Description => "Fails.";

    protected override Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken) =>
        throw new ToolException("disk on fire");
}

/// <summary>
/// Holds each call until the test opens the gate, and counts calls: a run stopped at a known point, and a check that
/// no call ran while it should not have.
/// </summary>
public sealed class GateTool : AgentTool<GateTool.Arguments>
{
    private int _calls;

    public sealed record Arguments(string? Note);

    public override string Name => "gate";

    public override string Description => "Waits for the gate to open.";

    public override TimeSpan? Timeout => TimeSpan.FromMinutes(5);

    /// <summary>Set when the first call is inside the tool.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Open { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);

    protected override async Task<JsonElement> Invoke(Arguments arguments, ToolContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Entered.TrySetResult();
        await Open.Task.WaitAsync(cancellationToken);
        return Json(new { opened = true });
    }
}
