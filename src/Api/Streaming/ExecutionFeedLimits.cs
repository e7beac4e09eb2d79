namespace Orleans.Agent.Api.Streaming;

internal static class ExecutionFeedLimits
{
    /// <summary>Events per log read; the grain caps it at its own page size too.</summary>
    public const int PageSize = 1_000;
}
