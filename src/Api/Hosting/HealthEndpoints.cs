using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Hosting;

/// <summary>
/// <c>/health/live</c>: the process serves HTTP. <c>/health/ready</c>: it can also reach a silo (a grain call
/// answers), so a load balancer sends it traffic only then. Both anonymous, for probes.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddAgentHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<ClusterReachableCheck>("cluster", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapAgentHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) }).AllowAnonymous();
        return app;
    }

    private sealed class ClusterReachableCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await grains.GetGrain<IUserExecutionsGrain>("health-probe").List(null, 1).WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("No silo answers.", ex);
            }
        }
    }
}
