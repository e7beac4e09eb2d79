using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Auth;
using Orleans.Agent.Api.Observability;

namespace Orleans.Agent.Api.Limits;

/// <summary>Per-user and per-process limits, answered with 429 problems that carry Retry-After.</summary>
public static class RateLimitPolicies
{
    public const string StartExecution = "start-execution";

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

        // Streams are admitted by StreamAdmission, which the stream endpoint asks itself (see there for why).
        builder.Services.AddSingleton<StreamAdmission>();
        builder.Services.AddSingleton<LimitMetrics>();
        builder.Services.AddRateLimiter(rateLimiter =>
        {
            rateLimiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            rateLimiter.OnRejected = Reject;
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
        });
        return builder;
    }

    public const string TooManyRequestsTitle = "Too many requests.";
    public const string TooManyRequestsDetail = "A limit was reached; retry after the time in Retry-After.";

    private static ApiLimitsOptions Limits(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<ApiLimitsOptions>>().Value;

    private static async ValueTask Reject(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var window) ? window : TimeSpan.FromMinutes(1);
        context.HttpContext.RequestServices.GetRequiredService<LimitMetrics>()
            .Rejected(nameof(ApiLimitsOptions.ExecutionsPerMinutePerUser));
        await WriteTooManyRequests(context.HttpContext, retryAfter, TooManyRequestsTitle, TooManyRequestsDetail);
    }

    /// <summary>A 429 problem with a Retry-After header in whole seconds (at least 1).</summary>
    public static async Task WriteTooManyRequests(HttpContext http, TimeSpan retryAfter, string title, string detail)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        SetRetryAfter(http.Response, retryAfter);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = title, Detail = detail },
        });
    }

    /// <summary>Retry-After in whole seconds, at least 1 (the header has no fractions).</summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
