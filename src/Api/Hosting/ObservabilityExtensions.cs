using Orleans.Agent.Api.Observability;
using Orleans.Agent.Grains.Hosting;
using OpenTelemetry.Metrics;

namespace Orleans.Agent.Api.Hosting;

/// <summary>Metrics with OpenTelemetry: the product's meter plus ASP.NET Core's, Kestrel's and Orleans', to Prometheus and OTLP.</summary>
public static class ObservabilityExtensions
{
    /// <summary>The meters exported besides the product's own.</summary>
    private static readonly string[] FrameworkMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.Orleans"];

    public static WebApplicationBuilder AddAgentObservability(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetValidated<MetricsOptions>(MetricsOptions.Section);
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<StreamMetrics>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(StreamMetrics.MeterName).AddMeter(FrameworkMeters);
            if (options.Prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            // The standard variables (OTEL_EXPORTER_OTLP_ENDPOINT, _HEADERS, _PROTOCOL) configure it; unset, no exporter runs.
            if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                metrics.AddOtlpExporter();
            }
        });
        return builder;
    }

    public static WebApplication MapAgentMetrics(this WebApplication app)
    {
        app.Services.GetRequiredService<StreamMetrics>(); // its instruments exist from the start, not from the first scrape
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value;
        if (options.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath).AllowAnonymous();
        }

        return app;
    }
}
