using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Http;

/// <summary>
/// A request that needs a dependency that is down (the durable store, or every silo) gets a 503 problem with
/// Retry-After, in Development too: a client can tell "retry shortly" from a bug.
/// </summary>
public sealed partial class UnavailableDependencyMiddleware(RequestDelegate next, ILogger<UnavailableDependencyMiddleware> logger)
{
    private const string RetryAfterSeconds = "2";

    public async Task InvokeAsync(HttpContext context, IStoreFaultDetector storeFaults)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when ((ex is OrleansException or TimeoutException || storeFaults.IsStoreFault(ex)) && !context.Response.HasStarted)
        {
            // A grain that cannot activate because its state cannot be read arrives as an OrleansException around the store's.
            var store = storeFaults.IsStoreFault(ex);
            LogUnavailable(logger, context.Request.Method, context.Request.Path, ex.GetType().Name, ex.Message);
            context.Response.Clear();
            context.Response.Headers.RetryAfter = RetryAfterSeconds;
            await TypedResults.Problem(
                store
                    ? "The durable store is unavailable; what is already durable is kept. Retry after the time in Retry-After."
                    : "No silo answered in time; retry after the time in Retry-After.",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: store ? "Store temporarily unavailable." : "Cluster temporarily unavailable.").ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP {Method} {Path}: a dependency is unavailable ({ExceptionType}: {Reason}); answered 503")]
    private static partial void LogUnavailable(ILogger logger, string method, string path, string exceptionType, string reason);
}
