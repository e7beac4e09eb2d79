using System.Collections.Concurrent;
using System.Text.Json;
using Orleans.Agent.Tools;

namespace Orleans.Agent.Tests;

/// <summary>What the test tools saw, shared with the tests through DI.</summary>
public sealed class ToolProbe
{
    /// <summary>Execution ids whose slow_wait call saw its cancellation token fire.</summary>
    public ConcurrentQueue<string> Cancelled { get; } = new();
}

/// <summary>Waits as long as asked, honouring its token: the tool a cancel must interrupt.</summary>
public sealed class SlowWaitTool(ToolProbe probe) : AgentTool<SlowWaitTool.Arguments>
{
    public sealed record Arguments(int Milliseconds);

    public override string Name => "slow_wait";

    public override string Description => "Waits.";

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
