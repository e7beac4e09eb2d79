using Orleans.Agent.Executions;

namespace Orleans.Agent.Grains.Storage;

/// <summary>The store clients this product uses, as <see cref="StoreFaults"/> knows them.</summary>
public sealed class StoreFaultDetector : IStoreFaultDetector
{
    public bool IsStoreFault(Exception exception) => StoreFaults.IsStoreFault(exception);
}
