using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Concurrency;

namespace Orleans.Agent.Grains.Executions;

/// <summary>Answers readiness probes on whichever silo takes the call.</summary>
[StatelessWorker]
public sealed class HealthProbeGrain(IExecutionLogStore store) : Grain, IHealthProbeGrain
{
    public Task Ping() => Task.CompletedTask;

    public async Task CheckStore()
    {
        try
        {
            await store.Ping().WaitAsync(StoreUnavailableException.CallBound);
        }
        catch (Exception ex) when (ex is TimeoutException || StoreFaults.IsStoreFault(ex))
        {
            throw StoreFaults.Unavailable(ex);
        }
    }
}
