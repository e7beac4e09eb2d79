namespace Orleans.Agent.Executions;

/// <summary>
/// Tells a failed grain call that failed on the durable store (answered 503 "store unavailable") from any other:
/// a <see cref="StoreUnavailableException"/>, or, for a grain that could not even activate because its state could
/// not be read, the store client's own exception inside the runtime's.
/// </summary>
public interface IStoreFaultDetector
{
    bool IsStoreFault(Exception exception);
}
