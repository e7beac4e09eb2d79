using Microsoft.Extensions.Hosting;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;

namespace Orleans.Agent.Silo;

/// <summary>The standalone silo process, built here so tests can start the very host that <c>Program</c> runs.</summary>
public static class SiloHost
{
    public static IHost Build(string[] args)
    {
        // Its settings beside its binary, wherever it is started from (deploy/local-cluster.sh starts it from the checkout).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = builder.Configuration.GetValidated<AgentSiloOptions>(AgentSiloOptions.Section);
        var storage = builder.Configuration.GetValidated<StorageOptions>(StorageOptions.Section);
        var tls = builder.Configuration.GetValidated<ClusterTlsOptions>(ClusterTlsOptions.Section);
        var metrics = builder.Configuration.GetValidated<MetricsOptions>(MetricsOptions.Section);
        var dashboard = builder.Configuration.GetValidated<OperatorDashboardOptions>(OperatorDashboardOptions.Section).IsEnabled(builder.Environment);
        builder.UseOrleans(silo =>
        {
            silo.AddAgentSilo(options, storage).UseClusterTls(tls);
            if (dashboard)
            {
                silo.AddDashboard(); // the API nodes serve it; each silo feeds it (grain calls profiled while watched)
            }

            if (options.KubernetesHosting)
            {
                silo.UseKubernetesHosting();
            }
        });
        builder.Services.AddStartupSummary("silo", options, storage); // after the silo: it logs once the silo has started
        builder.AddAgentTelemetry("orleans-agent-silo").WithMetrics(meters =>
        {
            if (metrics.Prometheus && metrics.Port != 0)
            {
                meters.AddPrometheusHttpListener(listener =>
                {
                    listener.Port = metrics.Port;
                    // Every interface (Prometheus scrapes the pod's address): the exporter's Host must parse as a URI's host.
                    listener.ConfigureHttpListener = (_, http) =>
                    {
                        http.Prefixes.Clear();
                        http.Prefixes.Add($"http://*:{metrics.Port}/");
                    };
                    listener.ScrapeEndpointPath = metrics.PrometheusPath;
                });
            }
        });
        return builder.Build();
    }
}
