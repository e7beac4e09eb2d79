using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Agent.Api.Hosting;

/// <summary>Configuration section <c>Health</c>: what the readiness probe reports when a dependency is down.</summary>
public sealed class HealthOptions : IValidatableObject
{
    public const string Section = "Health";

    /// <summary>
    /// The readiness verdict while the silos cannot reach the durable store. <c>Degraded</c> (200): every node stays in
    /// rotation and answers 503 problems with Retry-After, and streams of executions in memory go on.
    /// <c>Unhealthy</c> (503): nodes leave rotation, for a global load balancer that should drain this cluster
    /// (another region takes over).
    /// </summary>
    public HealthStatus StoreOutage { get; set; } = HealthStatus.Degraded;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StoreOutage is not (HealthStatus.Degraded or HealthStatus.Unhealthy))
        {
            yield return new ValidationResult("Health:StoreOutage must be Degraded or Unhealthy.", [nameof(StoreOutage)]);
        }
    }
}
