using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>Configuration section <c>Metrics</c>: where an operator scrapes a node's metrics (API nodes and silos).</summary>
public sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    /// <summary>
    /// Serve the metrics in Prometheus' text format at <see cref="PrometheusPath"/>, anonymously (like the health
    /// probes), never behind the user JWT. A standalone silo serves them only when <see cref="Port"/> is set.
    /// </summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Where Prometheus scrapes.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_.-]*$", ErrorMessage = "Metrics:PrometheusPath must be a path such as /metrics.")]
    public string PrometheusPath { get; set; } = "/metrics";

    /// <summary>
    /// A port of its own for the scrape. API node: 0 serves it on the API's own ports; a port serves it there only
    /// (Kestrel listens on it besides the API's URLs). Standalone silo: 0 serves none; a port serves it there.
    /// </summary>
    [Range(0, 65_535)]
    public int Port { get; set; }

    /// <summary>
    /// API node: networks (CIDR, e.g. <c>10.0.0.0/8</c>) the scrape is answered for; others get 404. Empty: anyone
    /// who reaches the path (fence it at the ingress or with a NetworkPolicy).
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    /// <summary><see cref="AllowedNetworks"/>, parsed.</summary>
    public IReadOnlyList<IPNetwork> Networks => NetworkAllowList.Parse(AllowedNetworks);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        NetworkAllowList.Problems($"{Section}:{nameof(AllowedNetworks)}", AllowedNetworks);
}
