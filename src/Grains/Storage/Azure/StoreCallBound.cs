using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Bounds a store call as the Redis client bounds each of its calls (<see cref="StoreUnavailableException.CallBound"/>):
/// a storage account that stops answering is an outage the caller hears of in seconds, not a request that hangs
/// through the Azure client's retries.
/// </summary>
internal static class StoreCallBound
{
    public static async Task<T> Run<T>(Func<CancellationToken, Task<T>> call, TimeSpan? bound = null)
    {
        var limit = bound ?? StoreUnavailableException.CallBound;
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"Azure Storage did not answer within {limit.TotalSeconds:0} s.", ex);
        }
    }

    public static Task Run(Func<CancellationToken, Task> call, TimeSpan? bound = null) => Run(async ct =>
    {
        await call(ct);
        return true;
    }, bound);
}
