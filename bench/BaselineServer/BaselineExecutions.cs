using System.Collections.Concurrent;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Agents;

namespace Orleans.Agent.Bench;

/// <summary>The baseline's running executions; each runs the same synthetic workload as the built-in model.</summary>
public sealed class BaselineExecutions
{
    private readonly ConcurrentDictionary<string, BaselineExecution> _executions = new(StringComparer.Ordinal);

    public BaselineExecution Start(string task, SyntheticWorkload workload)
    {
        var execution = new BaselineExecution(Guid.CreateVersion7().ToString("N"));
        _executions[execution.Id] = execution;
        _ = Run(execution, task, workload);
        return execution;
    }

    public BaselineExecution? Find(string id) => _executions.GetValueOrDefault(id);

    private static async Task Run(BaselineExecution execution, string task, SyntheticWorkload workload)
    {
        await Task.Yield(); // answer the POST first, as the grain does
        var emit = new ExecutionEventEmitter(execution.Append, () => Task.CompletedTask);
        var started = DateTimeOffset.UtcNow;
        await emit.Started(task, started);
        try
        {
            var outcome = await SyntheticWorkloadRun.Run(workload, emit, [], execution.Cancellation.Token);
            await emit.Complete(outcome.Result, (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds, outcome.TokensUsed);
        }
        catch (OperationCanceledException)
        {
            await emit.Cancelled("load test over", "user");
        }
    }
}
