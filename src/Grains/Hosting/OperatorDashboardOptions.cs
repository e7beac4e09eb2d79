using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Hosting;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// Configuration section <c>Dashboard</c>: Orleans' own dashboard (silos, grains, calls, reminders), served by API
/// nodes; every silo of the cluster must have it on too, or it shows nothing of that silo.
/// </summary>
public sealed class OperatorDashboardOptions : IValidatableObject
{
    public const string Section = "Dashboard";

    /// <summary>Unset: on in Development, off elsewhere. It profiles grain calls while someone watches it.</summary>
    public bool? Enabled { get; set; }

    /// <summary>API node: where it is served.</summary>
    [Required, RegularExpression("^/[A-Za-z0-9/_.-]*[A-Za-z0-9_.-]$", ErrorMessage = "Dashboard:Path must be a path such as /dashboard.")]
    public string Path { get; set; } = "/dashboard";

    /// <summary>
    /// API node: the authorization policy's networks (CIDR): only callers from these reach it (others get 401).
    /// Empty: loopback only, so an operator comes through <c>kubectl port-forward</c> or an authenticating proxy.
    /// (Empty rather than a default list: configuration binding appends to a default array instead of replacing it.)
    /// </summary>
    public string[] AllowedNetworks { get; set; } = [];

    public bool IsEnabled(IHostEnvironment environment) => Enabled ?? environment.IsDevelopment();

    /// <summary><see cref="AllowedNetworks"/>, parsed.</summary>
    public IReadOnlyList<IPNetwork> Networks => AllowedNetworks.Length == 0 ? NetworkAllowList.Loopback : NetworkAllowList.Parse(AllowedNetworks);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        NetworkAllowList.Problems($"{Section}:{nameof(AllowedNetworks)}", AllowedNetworks);
}
