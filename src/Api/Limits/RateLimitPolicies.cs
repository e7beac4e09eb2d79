using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Auth;

namespace Orleans.Agent.Api.Limits;

/// <summary>Per-user and per-process limits, answered with 429 problems that carry Retry-After.</summary>
public static class RateLimitPolicies
{
    public const string StartExecution = "start-execution";
    public const string OpenStream = "open-stream";

    public static WebApplicationBuilder AddAgentLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApiLimitsOptions>()
            .BindConfiguration(ApiLimitsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiLimitsOptions>>((kestrel, limits) =>
        {
            kestrel.Limits.MaxRequestBodySize = limits.Value.MaxRequestBodyBytes;
            kestrel.Limits.MaxConcurrentConnections = limits.Value.MaxConnections == 0 ? null : limits.Value.MaxConnections;
            kestrel.Limits.MaxConcurrentUpgradedConnections = kestrel.Limits.MaxConcurrentConnections;
        });

        builder.Services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rateLimiter.OnRejected = Reject;
            // Streams held by this process, whoever holds them; the lease lasts as long as the SSE response.
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/api/agent/stream", StringComparison.Ordinal)
                    ? RateLimitPartition.GetConcurrencyLimiter("streams", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = Limits(http).StreamsPerProcess,
                        QueueLimit = 0,
                    })
                    : RateLimitPartition.GetNoLimiter("unlimited"));
            rateLimiter.AddPolicy(StartExecution, http =>
            {
                var limits = Limits(http);
                return RateLimitPartition.GetFixedWindowLimiter(http.User.GetUserId(), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.ExecutionsPerMinutePerUser,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            rateLimiter.AddPolicy(OpenStream, http =>
            {
                var limits = Limits(http);
                return RateLimitPartition.GetConcurrencyLimiter(http.User.GetUserId(), _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.StreamsPerUser,
                    QueueLimit = 0,
                });
            });
        });
        return builder;
    }

    private static ApiLimitsOptions Limits(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value;

    private static async ValueTask Reject(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var window) ? window : Limits(context.HttpContext).StreamRetryAfter;
        await WriteTooManyRequests(context.HttpContext, retryAfter, "Too many requests.", "A limit was reached; retry after the time in Retry-After.");
    }

    /// <summary>A 429 problem with a Retry-After header in whole seconds (at least 1).</summary>
    public static async Task WriteTooManyRequests(HttpContext http, TimeSpan retryAfter, string title, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = title, Detail = detail },
        });
    }
}
