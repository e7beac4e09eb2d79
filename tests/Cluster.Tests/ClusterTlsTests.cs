using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Agent.Grains.Hosting;
using Orleans.Runtime;

namespace Orleans.Agent.Tests;

/// <summary>Mutual TLS inside the cluster, with real silo processes on loopback and certificates from deploy/cluster-certs.sh.</summary>
public sealed class ClusterTlsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Only_clients_with_a_certificate_of_the_cluster_CA_reach_a_silo_gateway()
    {
        using var locks = await ClusterLocks.Make();
        using var foreign = await ClusterCertificateFiles.Make("api");
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 0) { Locks = locks });

        await AssertRefused(cluster, new ClusterTlsOptions(), "TlsServerConnectionMiddleware"); // no TLS at all
        await AssertRefused(cluster, ClusterLocks.TlsOptions(foreign, "api"), "Cluster TLS: refused a peer certificate"); // another CA's
        var foreignTrustingOurs = ClusterLocks.TlsOptions(foreign, "api");
        foreignTrustingOurs.CaFile = locks.Certificates.Ca; // it would accept the silo; the silo must still refuse it
        await AssertRefused(cluster, foreignTrustingOurs, "Cluster TLS: refused a peer certificate");

        using var member = await cluster.ConnectClient();
        Assert.Single(await Management(member).GetHosts(onlyActive: true));
    }

    [Fact]
    public async Task An_api_node_refuses_a_gateway_whose_certificate_is_not_of_its_cluster_CA()
    {
        using var ours = await ClusterLocks.Make();
        using var theirs = await ClusterLocks.Make(); // a cluster with a CA of its own
        await using var impostor = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 0) { Locks = theirs });

        var log = new ConcurrentQueue<string>();
        using var client = impostor.CreateClient(ClusterLocks.TlsOptions(ours.Certificates, "api"), log);
        await AssertNeverGetsIn(client, () => log.Any(l => l.Contains("Cluster TLS: refused a peer certificate CN=orleans-agent-silo", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_silo_without_a_certificate_of_the_cluster_CA_cannot_join()
    {
        using var locks = await ClusterLocks.Make();
        using var foreign = await ClusterCertificateFiles.Make("silo");
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 0) { Locks = locks });
        using var member = await cluster.ConnectClient();
        var management = Management(member);

        var (plainPort, foreignPort) = (FreePorts.Next(), FreePorts.Next());
        var plain = cluster.StartSilo(plainPort, FreePorts.Next());
        var impostor = cluster.StartSilo(foreignPort, FreePorts.Next(), foreign.Settings("silo"));

        // Neither ever becomes active: the cluster's silo refuses their connections (and they its), so they fail to
        // join, are declared dead and stop.
        var clock = Stopwatch.StartNew();
        while (!plain.HasExited || !impostor.HasExited)
        {
            Assert.True(clock.Elapsed < Deadline, $"A silo without the cluster's certificate still runs after {Deadline}.");
            var joined = (await management.GetDetailedHosts(onlyActive: true)).Where(h => h.SiloAddress.Endpoint.Port is var p && (p == plainPort || p == foreignPort));
            Assert.Empty(joined);
            await Task.Delay(100);
        }

        Assert.NotEqual(0, plain.ExitCode);
        Assert.NotEqual(0, impostor.ExitCode);
        Assert.Single(await management.GetHosts(onlyActive: true));
        Assert.Contains(cluster.Output, line => line.Contains("Cluster TLS: refused a peer certificate CN=orleans-agent-silo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rotated_certificate_is_presented_to_new_connections_without_a_restart()
    {
        using var locks = await ClusterLocks.Make();
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 1, ApiNodes: 0)
        {
            Locks = locks,
            Settings = ["--ClusterTls:ReloadInterval=00:00:01"],
        });
        var gateway = cluster.GatewayPorts[0];
        Assert.Equal(Thumbprint(locks.Certificates.Certificate("silo")), await PresentedCertificate(gateway, locks.Certificates));

        await locks.Certificates.Issue("silo");
        var rotated = Thumbprint(locks.Certificates.Certificate("silo"));
        await Poll.Until(async () => await PresentedCertificate(gateway, locks.Certificates) == rotated, Deadline);

        // Still one cluster: members connect with their certificates after the rotation.
        using var member = await cluster.ConnectClient();
        Assert.Single(await Management(member).GetHosts(onlyActive: true));
        Assert.Contains(cluster.Output, line => line.Contains("Cluster TLS: rotated certificate loaded", StringComparison.Ordinal));
    }

    /// <summary>A client with <paramref name="tls"/> does not get in, and the silo says it refused it: <paramref name="refusal"/> is in its log.</summary>
    private static async Task AssertRefused(ClusterProcesses cluster, ClusterTlsOptions tls, string refusal)
    {
        var before = cluster.Output.Count;
        using var client = cluster.CreateClient(tls);
        await AssertNeverGetsIn(client, () => cluster.Output.Skip(before).Any(l => l.Contains(refusal, StringComparison.Ordinal)));
    }

    /// <summary>
    /// Starts <paramref name="client"/> and waits until <paramref name="refused"/> holds (the refusal was logged); the start
    /// must not have succeeded by then, and fails once cancelled (Orleans' client keeps trying a refused gateway).
    /// </summary>
    private static async Task AssertNeverGetsIn(IHost client, Func<bool> refused)
    {
        using var attempt = new CancellationTokenSource();
        var start = client.StartAsync(attempt.Token);
        await Poll.Until(() => Task.FromResult(refused() || start.IsCompleted), Deadline);
        Assert.False(start.IsCompletedSuccessfully, "The client got in.");
        Assert.True(refused(), "The client's start ended without the refusal being logged.");
        await attempt.CancelAsync();
        Assert.NotNull(await Record.ExceptionAsync(() => start.WaitAsync(Deadline)));
    }

    private static IManagementGrain Management(IHost client) => client.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);

    private static string Thumbprint(string pemFile) => X509Certificate2.CreateFromPem(File.ReadAllText(pemFile)).Thumbprint;

    /// <summary>The certificate a silo's gateway presents to a new TLS connection from an API node.</summary>
    private static async Task<string> PresentedCertificate(int port, ClusterCertificateFiles certificates)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        using var client = X509Certificate2.CreateFromPemFile(certificates.Certificate("api"), certificates.Key("api"));
        string? seen = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            seen = certificate is null ? null : new X509Certificate2(certificate).Thumbprint;
            return errors == SslPolicyErrors.RemoteCertificateChainErrors; // issued by the throw-away CA, which this process does not trust
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "orleans-agent-silo",
            ClientCertificates = [client],
            EnabledSslProtocols = SslProtocols.Tls13,
        });
        return seen ?? "";
    }
}
