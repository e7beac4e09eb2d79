using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// OpenTelemetry for silos and API nodes alike: the product's meter and Orleans', and the product's traces, pushed over
/// OTLP when configured. Traces follow only the product's own source: Orleans' grain-call spans would add one per
/// call (every stream's log reads, every batch pushed to a node) and their context is carried by the execution's
/// request instead, which also survives a failover.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Orleans' meter (activations, grain calls, messaging, directory) besides the product's own.</summary>
    private const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Registers the metrics, and the traces when <see cref="TracingOptions.Enabled"/>, as <paramref name="serviceName"/>
    /// unless <c>OTEL_SERVICE_NAME</c> says otherwise; <paramref name="meters"/> adds the host's own (ASP.NET Core's on
    /// an API node). With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set (and the other
    /// standard <c>OTEL_EXPORTER_OTLP_*</c> variables as needed) both are pushed over OTLP; a scrape endpoint is the
    /// host's to add.
    /// </summary>
    public static OpenTelemetryBuilder AddAgentTelemetry(this IHostApplicationBuilder builder, string serviceName, params string[] meters)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var tracing = builder.Configuration.GetValidated<TracingOptions>(TracingOptions.Section);
        var named = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                if (!named)
                {
                    resource.AddService(serviceName); // a trace crossing API node and silo then names both
                }
            })
            .WithMetrics(metrics =>
        {
            metrics.AddMeter(AgentTelemetry.Name, OrleansMeter).AddMeter(meters);
            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (tracing.Enabled ?? otlp)
        {
            telemetry.WithTracing(traces =>
            {
                traces.AddSource(AgentTelemetry.Name).SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(tracing.SampleRatio)));
                if (otlp)
                {
                    traces.AddOtlpExporter();
                }
            });
        }

        return telemetry;
    }
}
