using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Hosting;

/// <summary>Configuration section <c>Hosting</c>: whether the API co-hosts a silo or joins a cluster as a client.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";
    public const string InProcessSilo = "InProcessSilo";
    public const string Client = "Client";

    /// <summary>
    /// <c>InProcessSilo</c> (the local default: one process, no other dependency) or <c>Client</c> (an API node of a
    /// cluster of silos; needs the silos' <c>Silo:Clustering</c> (Redis or AzureStorage), <c>Storage</c> settings and
    /// <c>Silo:ClusterId</c>/<c>ServiceId</c>).
    /// </summary>
    [Required, RegularExpression("^(InProcessSilo|Client)$")] public string Mode { get; set; } = InProcessSilo;
}
