using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Hosting;

namespace Orleans.Agent.Api.Hosting;

/// <summary>
/// <c>/health/live</c>: the process serves HTTP. <c>/health/ready</c>: it can also reach a silo (a grain call
/// answers), so a load balancer sends it traffic only then; the body names each dependency and its state. A store
/// that is down makes the node Degraded by default, not Unhealthy: it stays in rotation and answers 503 with
/// Retry-After, which clients can act on, rather than every node leaving the balancer at once
/// (<see cref="HealthOptions.StoreOutage"/>). Both anonymous, for probes.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";
    // Past the silo's own bound on a store that does not answer, so that the silo's answer is the one heard.
    private static readonly TimeSpan ProbeTimeout = StoreUnavailableException.CallBound + TimeSpan.FromSeconds(1);

    public static WebApplicationBuilder AddAgentHealthChecks(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetValidated<HealthOptions>(HealthOptions.Section);

        builder.Services.AddHealthChecks()
            .AddCheck<ClusterReachableCheck>("cluster", tags: [Ready])
            .AddCheck<StoreReachableCheck>("store", failureStatus: options.StoreOutage, tags: [Ready]);
        return builder;
    }

    public static WebApplication MapAgentHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteReport })
            .AllowAnonymous();
        return app;
    }

    /// <summary><c>{"status": "Degraded", "checks": {"cluster": {"status": "Healthy"}, "store": {"status": "Degraded", "description": "..."}}}</c></summary>
    private static Task WriteReport(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        var checks = report.Entries.ToDictionary(
            e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return JsonSerializer.SerializeAsync(http.Response.Body, new { status = report.Status.ToString(), checks }, JsonSerializerOptions.Web);
    }

    private sealed class ClusterReachableCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IHealthProbeGrain>(0).Ping().WaitAsync(ProbeTimeout, cancellationToken);
                return HealthCheckResult.Healthy("A silo answers.");
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("No silo answers.", ex);
            }
        }
    }

    private sealed class StoreReachableCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IHealthProbeGrain>(0).CheckStore().WaitAsync(ProbeTimeout, cancellationToken);
                return HealthCheckResult.Healthy("The silos reach the durable store.");
            }
            catch (StoreUnavailableException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "The silos cannot reach the durable store.");
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Unknown: no silo answers.", ex);
            }
        }
    }
}
