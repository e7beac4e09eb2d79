using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Observability;

/// <summary>Configuration section <c>Metrics</c>: how an operator reads the node's metrics.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// Serve the metrics in Prometheus' text format at <see cref="PrometheusPath"/>, anonymously (like the health
    /// probes): fence the path at the ingress or with a NetworkPolicy, it is not behind the user JWT.
    /// </summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Where Prometheus scrapes.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_.-]*$", ErrorMessage = "Metrics:PrometheusPath must be a path such as /metrics.")]
    public string PrometheusPath { get; set; } = "/metrics";
}
