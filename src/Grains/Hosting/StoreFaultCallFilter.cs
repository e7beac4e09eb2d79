using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// Every grain call that fails on the store answers <see cref="StoreUnavailableException"/>: the store
/// clients' own exceptions cannot be serialized to the caller, which then saw a codec error instead of the cause.
/// </summary>
internal sealed class StoreFaultCallFilter : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex) && ex is not StoreUnavailableException)
        {
            throw StoreFaults.Unavailable(ex);
        }
    }
}
