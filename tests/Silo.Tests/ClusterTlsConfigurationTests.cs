using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Silo;

namespace Orleans.Agent.Tests;

/// <summary>ClusterTls settings are checked at start-up, naming the key, and a rotation is taken only when it is whole.</summary>
public sealed class ClusterTlsConfigurationTests : IAsyncLifetime
{
    private ClusterCertificateFiles _files = null!;

    public async Task InitializeAsync() => _files = await ClusterCertificateFiles.Make("silo", "api");

    public Task DisposeAsync()
    {
        _files.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void A_silo_with_broken_cluster_tls_settings_fails_to_start_naming_the_key()
    {
        Assert.Contains("ClusterTls:CertificateFile is required", StartFailure("--ClusterTls:Enabled=true"), StringComparison.Ordinal);
        Assert.Contains("ClusterTls:CaFile names a file that does not exist",
            StartFailure([.. _files.Settings("silo", caFile: "/nonexistent/ca.crt")]), StringComparison.Ordinal);
        Assert.Contains("ClusterTls:KeyFile and ClusterTls:CertificateFile are not a PEM certificate and its private key",
            StartFailure([.. _files.Settings("silo"), $"--ClusterTls:KeyFile={_files.Key("api")}"]), StringComparison.Ordinal);
        Assert.Contains("ClusterTls:CertificateFile holds no PEM certificate",
            StartFailure([.. _files.Settings("silo"), $"--ClusterTls:CertificateFile={_files.Key("silo")}"]), StringComparison.Ordinal);
        Assert.Contains("ClusterTls:CaFile holds no certificate",
            StartFailure([.. _files.Settings("silo", caFile: _files.Key("silo"))]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rotation_is_taken_when_whole_and_a_half_written_one_keeps_the_previous_certificate()
    {
        var time = new ManualTime();
        var options = new ClusterTlsOptions
        {
            Enabled = true,
            CertificateFile = _files.Certificate("silo"),
            KeyFile = _files.Key("silo"),
            CaFile = _files.Ca,
            ReloadInterval = TimeSpan.FromMinutes(1),
        };
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var certificates = new ClusterCertificates(options, time: time, meters: meters.GetRequiredService<IMeterFactory>());
        var first = certificates.Certificate.Thumbprint;
        Assert.Equal((NotAfter(_files.Certificate("silo")) - time.GetUtcNow()).TotalSeconds, ObservedExpiry());
        var previousKey = await File.ReadAllTextAsync(_files.Key("silo"));

        // Half-written: a new certificate beside the old key. Nothing changes until the reload interval, then still nothing.
        await _files.Issue("silo");
        var rotated = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_files.Certificate("silo"))).Thumbprint;
        var newKey = await File.ReadAllTextAsync(_files.Key("silo"));
        await File.WriteAllTextAsync(_files.Key("silo"), previousKey);
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(first, certificates.Certificate.Thumbprint);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(first, certificates.Certificate.Thumbprint);

        // Whole: the matching key arrives; the next check after the interval takes it.
        await File.WriteAllTextAsync(_files.Key("silo"), newKey);
        Assert.Equal(first, certificates.Certificate.Thumbprint);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(rotated, certificates.Certificate.Thumbprint);
        Assert.Equal((NotAfter(_files.Certificate("silo")) - time.GetUtcNow()).TotalSeconds, ObservedExpiry()); // the rotated one's
    }

    private static DateTimeOffset NotAfter(string pemFile) => X509Certificate2.CreateFromPem(File.ReadAllText(pemFile)).NotAfter.ToUniversalTime();

    /// <summary>What the certificate-expiry gauge reports when collected now.</summary>
    private static double ObservedExpiry()
    {
        double? seen = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "orleans_agent.cluster_tls.certificate_expiry")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => seen = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return Assert.NotNull(seen);
    }

    [Fact]
    public async Task Peers_are_trusted_only_with_a_certificate_of_the_cluster_CA()
    {
        using var foreign = await ClusterCertificateFiles.Make("api");
        var certificates = new ClusterCertificates(new ClusterTlsOptions
        {
            Enabled = true,
            CertificateFile = _files.Certificate("silo"),
            KeyFile = _files.Key("silo"),
            CaFile = _files.Ca,
        });

        Assert.True(certificates.IsTrusted(X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(_files.Certificate("api")))));
        Assert.False(certificates.IsTrusted(X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(foreign.Certificate("api")))));
        Assert.False(certificates.IsTrusted(X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(foreign.Ca)))); // a self-signed root
    }

    private static string StartFailure(params string[] settings) =>
        Assert.Throws<ValidationException>(() => SiloHost.Build([$"--Silo:SiloPort={FreePorts.Next()}", .. settings])).Message;

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
