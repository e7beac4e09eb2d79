using System.Security.Authentication;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// Mutual TLS on every Orleans connection of a cluster (Microsoft.Orleans.Connections.Security): silo to silo, and API
/// node (client) to silo gateway. Both ends present a certificate of the cluster CA and refuse a peer without one.
/// </summary>
public static class ClusterTlsExtensions
{
    /// <summary>A silo accepts silos and clients only with a cluster certificate, and presents its own to both.</summary>
    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return silo;
        }

        ClusterCertificates.Validate(options); // a bad file fails the start with its key named, before any listener opens
        silo.Services.AddSingleton(sp => Certificates(sp, options));
        return silo.Configure<SiloConnectionOptions>(connections =>
        {
            connections.ConfigureSiloInboundConnection(c => c.UseServerTls(TlsOptions(c)));
            connections.ConfigureGatewayInboundConnection(c => c.UseServerTls(TlsOptions(c)));
            connections.ConfigureSiloOutboundConnection(c => c.UseClientTls(TlsOptions(c)));
        });
    }

    /// <summary>An API node reaches the silos' gateways only with a cluster certificate, and checks theirs.</summary>
    public static IClientBuilder UseClusterTls(this IClientBuilder client, ClusterTlsOptions options)
    {
        if (!options.Enabled)
        {
            return client;
        }

        ClusterCertificates.Validate(options);
        client.Services.AddSingleton(sp => Certificates(sp, options));
        return client.Configure<ClientConnectionOptions>(connections => connections.ConfigureConnection(c => c.UseClientTls(TlsOptions(c))));
    }

    private static ClusterCertificates Certificates(IServiceProvider services, ClusterTlsOptions options) =>
        new(options, services.GetRequiredService<ILogger<ClusterCertificates>>(), meters: services.GetService<IMeterFactory>());

    private static TlsOptions TlsOptions(IConnectionBuilder connection)
    {
        var certificates = connection.ApplicationServices.GetRequiredService<ClusterCertificates>();
        return new TlsOptions
        {
            // Selectors rather than a fixed certificate, so that each new connection presents the current one.
            LocalServerCertificateSelector = (_, _) => certificates.Certificate,
            LocalClientCertificateSelector = (_, _, _, _, _) => certificates.Certificate,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (certificate, _, _) => certificates.IsTrusted(certificate),
            SslProtocols = SslProtocols.Tls13, // both ends are this product
        };
    }
}
