using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// This member's cluster certificate and the CA it trusts, read from <see cref="ClusterTlsOptions"/>' files and read
/// again at most every <see cref="ClusterTlsOptions.ReloadInterval"/> when a connection opens, so a rotated Secret is
/// used without a restart. A set that does not load (half-written during a rotation) is logged and the last good one kept.
/// </summary>
public sealed partial class ClusterCertificates
{
    private readonly ClusterTlsOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private Loaded _current;
    private DateTimeOffset _nextCheck;

    /// <param name="options">Where the files are and how often they are read again.</param>
    /// <param name="logger">Where loads, rotations and refused peers are reported.</param>
    /// <param name="time">The clock of the reload interval and of the expiry gauge.</param>
    /// <param name="meters">Where <c>orleans_agent.cluster_tls.certificate_expiry</c> is observed, when given.</param>
    public ClusterCertificates(
        ClusterTlsOptions options, ILogger<ClusterCertificates>? logger = null, TimeProvider? time = null, IMeterFactory? meters = null)
    {
        _options = options;
        _logger = logger ?? NullLogger<ClusterCertificates>.Instance;
        _time = time ?? TimeProvider.System;
        _current = Load(options);
        _nextCheck = _time.GetUtcNow() + options.ReloadInterval;
        LogLoaded(_logger, _current.Certificate.Subject, _current.Certificate.Thumbprint, _current.Certificate.NotAfter);
        meters?.Create(AgentTelemetry.Name).CreateObservableGauge("orleans_agent.cluster_tls.certificate_expiry",
            () => RemainingValidity.TotalSeconds, "s", "Time left before the cluster certificate this member presents expires (rotations included).");
    }

    /// <summary>How long the certificate presented now stays valid (after a rotation is picked up, the new one's).</summary>
    public TimeSpan RemainingValidity => Current().Certificate.NotAfter.ToUniversalTime() - _time.GetUtcNow().UtcDateTime;

    /// <summary>The certificate this member presents, as a server and as a client.</summary>
    public X509Certificate2 Certificate => Current().Certificate;

    /// <summary>Whether a peer's certificate chains to the cluster CA and is valid now. Names are not checked: peers
    /// are reached by pod address, and holding a certificate of the cluster's own CA is what makes a member.</summary>
    public bool IsTrusted(X509Certificate2 peer)
    {
        var current = Current();
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(current.Authorities);
        chain.ChainPolicy.ExtraStore.AddRange(current.Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // a cluster CA publishes no revocation list: rotate instead
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        var trusted = chain.Build(peer);
        if (!trusted)
        {
            LogRefused(_logger, peer.Subject, peer.Thumbprint, string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));
        }

        return trusted;
    }

    /// <summary>Reads and checks the three files; every problem names its configuration key.</summary>
    /// <exception cref="ValidationException">A file is missing, unreadable or not what its key says.</exception>
    public static void Validate(ClusterTlsOptions options) => Load(options);

    private Loaded Current()
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (now < _nextCheck)
            {
                return _current;
            }

            _nextCheck = now + _options.ReloadInterval;
            try
            {
                if (!_current.SameFiles(_options))
                {
                    _current = Load(_options);
                    LogReloaded(_logger, _current.Certificate.Subject, _current.Certificate.Thumbprint, _current.Certificate.NotAfter);
                }
            }
            catch (Exception ex) when (ex is ValidationException or IOException or UnauthorizedAccessException)
            {
                LogReloadFailed(_logger, ex.Message);
            }

            return _current;
        }
    }

    private static Loaded Load(ClusterTlsOptions options)
    {
        var certificatePem = Read(options.CertificateFile, nameof(options.CertificateFile));
        var keyPem = Read(options.KeyFile, nameof(options.KeyFile));
        var caPem = Read(options.CaFile, nameof(options.CaFile));

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(caPem);
        }
        catch (CryptographicException ex)
        {
            throw Invalid(nameof(options.CaFile), $"is not PEM certificates ({ex.Message})");
        }

        if (authorities.Count == 0)
        {
            throw Invalid(nameof(options.CaFile), "holds no certificate");
        }

        if (!certificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw Invalid(nameof(options.CertificateFile), "holds no PEM certificate");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException) // a key that is not this certificate's is the latter
        {
            throw Invalid(nameof(options.KeyFile), $"and ClusterTls:CertificateFile are not a PEM certificate and its private key ({ex.Message})");
        }

        return new Loaded(certificate, authorities, Fingerprint(certificatePem, keyPem, caPem));
    }

    private static string Read(string path, string key)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw Invalid(key, $"cannot be read: {path} ({ex.Message})");
        }
    }

    private static ValidationException Invalid(string key, string problem) => new($"ClusterTls:{key} {problem}.");

    /// <summary>A hash of the three files' contents, to tell a rotation from a re-read of the same files.</summary>
    private static string Fingerprint(params string[] contents) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\0', contents))));

    private sealed class Loaded(X509Certificate2 certificate, X509Certificate2Collection authorities, string fingerprint)
    {
        public X509Certificate2 Certificate { get; } = certificate;

        public X509Certificate2Collection Authorities { get; } = authorities;

        public bool SameFiles(ClusterTlsOptions options) =>
            Fingerprint(File.ReadAllText(options.CertificateFile), File.ReadAllText(options.KeyFile), File.ReadAllText(options.CaFile)) == fingerprint;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS: presenting {Subject} (thumbprint {Thumbprint}, valid until {NotAfter:u})")]
    private static partial void LogLoaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster TLS: rotated certificate loaded, presenting {Subject} (thumbprint {Thumbprint}, valid until {NotAfter:u})")]
    private static partial void LogReloaded(ILogger logger, string subject, string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster TLS: the certificate files changed but do not load; the previous certificate stays in use: {Problem}")]
    private static partial void LogReloadFailed(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster TLS: refused a peer certificate {Subject} (thumbprint {Thumbprint}): {Reason}")]
    private static partial void LogRefused(ILogger logger, string subject, string thumbprint, string reason);
}
