using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>Configuration section <c>Tracing</c>: one trace per execution, from its POST to every model and tool call.</summary>
public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>Record traces. Unset: on exactly when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (somewhere to send them).</summary>
    public bool? Enabled { get; set; }

    /// <summary>The share of new executions traced (a caller's sampled <c>traceparent</c> is always followed).</summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;
}
