using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// Configuration section <c>ClusterTls</c>: mutual TLS between silos and between API nodes and silos. Every member
/// presents a certificate issued by the cluster's own CA and refuses a peer without one. The files are those of a
/// Kubernetes TLS Secret (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>); a rotated set is picked up by new connections.
/// </summary>
public sealed class ClusterTlsOptions : IValidatableObject
{
    public const string Section = "ClusterTls";

    /// <summary>Off (the local default: one process on loopback) or on for every silo and API node of a cluster.</summary>
    public bool Enabled { get; set; }

    /// <summary>This member's certificate, PEM (the leaf first; intermediates may follow).</summary>
    public string CertificateFile { get; set; } = "";

    /// <summary>The certificate's private key, PEM (PKCS#8, PKCS#1 or SEC1; not encrypted: protect the file instead).</summary>
    public string KeyFile { get; set; } = "";

    /// <summary>The cluster CA's certificate(s), PEM: a peer is accepted only if its certificate chains to one of them.</summary>
    public string CaFile { get; set; } = "";

    /// <summary>How often the files are read again for a rotated certificate (checked when a connection opens).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enabled)
        {
            yield break;
        }

        foreach (var (key, path) in Files)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                yield return new ValidationResult($"ClusterTls:{key} is required when ClusterTls:Enabled is true.", [key]);
            }
            else if (!File.Exists(path))
            {
                yield return new ValidationResult($"ClusterTls:{key} names a file that does not exist: {path}.", [key]);
            }
        }
    }

    internal IEnumerable<(string Key, string Path)> Files =>
        [(nameof(CertificateFile), CertificateFile), (nameof(KeyFile), KeyFile), (nameof(CaFile), CaFile)];
}
