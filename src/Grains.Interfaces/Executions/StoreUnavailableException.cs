namespace Orleans.Agent.Executions;

/// <summary>
/// A grain call needed the durable store and the store failed or did not answer in time. Thrown instead of the store
/// client's own exception, which cannot cross a grain boundary; the API answers it with 503 and Retry-After.
/// </summary>
[GenerateSerializer, Alias("Orleans.Agent.StoreUnavailableException")]
public sealed class StoreUnavailableException : Exception
{
    /// <summary>
    /// Longest a grain call waits on a store that does not answer before it answers this exception itself (the Redis
    /// client times a call out after 5 s by default): a caller waiting longer on a grain is not waiting on the store.
    /// </summary>
    public static readonly TimeSpan CallBound = TimeSpan.FromSeconds(5);

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
