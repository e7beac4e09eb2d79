namespace Orleans.Agent.Executions;

/// <summary>
/// A grain call needed the durable store and the store failed or did not answer in time. Thrown instead of the store
/// client's own exception, which cannot cross a grain boundary; the API answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer, Alias("Orleans.Agent.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
