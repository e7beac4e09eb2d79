using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Grains.Hosting;
using OpenTelemetry.Metrics;

namespace Orleans.Agent.Api.Hosting;

/// <summary>Metrics with OpenTelemetry on an API node: the shared set plus ASP.NET Core's and Kestrel's, scraped by Prometheus.</summary>
public static class ObservabilityExtensions
{
    /// <summary>The meters an API node exports besides the shared ones (see <see cref="TelemetryExtensions"/>).</summary>
    private static readonly string[] HttpMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    public static WebApplicationBuilder AddAgentObservability(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetValidated<MetricsOptions>(MetricsOptions.Section);
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddAgentTelemetry("orleans-agent-api", HttpMeters).WithMetrics(metrics =>
        {
            if (options.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }
        });
        if (options.Prometheus && options.Port != 0)
        {
            // The scrape port is added to the API's URLs (a Listen call in code would replace them, --urls included).
            builder.WebHost.UseUrls([.. ApiUrls(builder.WebHost), $"http://*:{options.Port}"]);
        }

        return builder;
    }

    /// <summary>The URLs the API would listen on: --urls / ASPNETCORE_URLS, else ASPNETCORE_HTTP(S)_PORTS, else Kestrel's default.</summary>
    private static string[] ApiUrls(ConfigureWebHostBuilder host)
    {
        var split = (string? value) => (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] urls = split(host.GetSetting(WebHostDefaults.ServerUrlsKey));
        if (urls.Length > 0)
        {
            return urls;
        }

        var ports = split(host.GetSetting(WebHostDefaults.HttpPortsKey)).Select(p => $"http://*:{p}")
            .Concat(split(host.GetSetting(WebHostDefaults.HttpsPortsKey)).Select(p => $"https://*:{p}")).ToArray();
        return ports.Length > 0 ? ports : ["http://localhost:5000"];
    }

    /// <summary>
    /// With a port of its own, the scrape is answered there only (the connection's local port: a Host header can say
    /// anything) and nothing else is; with allowed networks, only to them. Anything refused gets an unknown path's 404.
    /// Early in the pipeline, before authentication would answer 401 for the API's paths on the scrape port.
    /// </summary>
    public static WebApplication UseAgentMetricsFence(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        var networks = options.Networks;
        if (!options.Prometheus || (options.Port == 0 && networks.Count == 0))
        {
            return app;
        }

        app.UseWhen(
            http =>
            {
                var scrape = http.Request.Path.Equals(options.PrometheusPath, StringComparison.OrdinalIgnoreCase);
                var onScrapePort = http.Connection.LocalPort == options.Port;
                return (options.Port != 0 && scrape != onScrapePort) || (scrape && networks.Count > 0 && !networks.Admits(http.Connection.RemoteIpAddress));
            },
            refused => refused.Run(http =>
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }));
        return app;
    }

    public static WebApplication MapAgentMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<StreamMetrics>(); // its instruments exist from the start, not from the first scrape
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value is { Prometheus: true } options)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath).AllowAnonymous();
        }

        return app;
    }
}
