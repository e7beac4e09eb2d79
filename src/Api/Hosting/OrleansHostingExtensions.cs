using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using Orleans.Configuration;
using Orleans.Dashboard;
using StackExchange.Redis;

namespace Orleans.Agent.Api.Hosting;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Either co-hosts a silo in the API process (local development: one process, no dependency) or joins a cluster
    /// of silos as an Orleans client (API nodes of a deployment). Endpoints use <c>IClusterClient</c> either way.
    /// </summary>
    public static WebApplicationBuilder AddAgentOrleans(this WebApplicationBuilder builder)
    {
        var hosting = builder.Configuration.GetValidated<HostingOptions>(HostingOptions.Section);
        var silo = builder.Configuration.GetValidated<AgentSiloOptions>(AgentSiloOptions.Section);
        var storage = builder.Configuration.GetValidated<StorageOptions>(StorageOptions.Section);
        var tls = builder.Configuration.GetValidated<ClusterTlsOptions>(ClusterTlsOptions.Section);
        var dashboard = builder.Configuration.GetValidated<OperatorDashboardOptions>(OperatorDashboardOptions.Section).IsEnabled(builder.Environment);
        if (hosting.Mode == HostingOptions.InProcessSilo)
        {
            // The co-hosted silo polls stream queues only if someone reads them: this node, unless told otherwise.
            silo.Streams ??= silo.PublishesAlways || builder.Configuration.GetValidated<SseOptions>(SseOptions.Section).LiveSource == LiveEventSource.Stream;
            builder.UseOrleans(siloBuilder =>
            {
                siloBuilder.AddAgentSilo(silo, storage).UseClusterTls(tls);
                if (dashboard)
                {
                    siloBuilder.AddDashboard();
                }
            });
            builder.Services.AddStartupSummary("API with an in-process silo", silo, storage);
            return builder;
        }

        if (!silo.IsCluster)
        {
            throw new InvalidOperationException("Hosting:Mode=Client needs Silo:Clustering=Redis or AzureStorage, as the silos have (where the membership table is).");
        }

        silo.ThrowUnlessHostedBy(storage);
        if (storage.UsesAzureStorage)
        {
            // Before the Orleans client starts: a wrong or unreachable account stops start-up with the setting named.
            builder.Services.AddAzureStorageClients(storage);
            builder.Services.AddHostedService(sp => new AzureStorageStartupCheck(sp.GetRequiredService<AzureStorageClients>(), storage.AzureStorage));
        }

        builder.UseOrleansClient(client =>
        {
            if (dashboard)
            {
                client.AddDashboard(); // the silos must have it on too (Dashboard:Enabled)
            }

            if (silo.Clustering == AgentSiloOptions.AzureStorageClustering)
            {
                client.UseAzureStorageClustering(o => o.Configure<AzureStorageClients>((clustering, azure) => azure.ForMembership(clustering)));
            }
            else
            {
                client.UseRedisClustering(o => o.ConfigurationOptions = storage.RedisConfiguration());
            }

            client
                .UseClusterTls(tls)
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = silo.ClusterId;
                    o.ServiceId = silo.ServiceId;
                })
                .AddMemoryStreams(AgentStreams.ProviderName, streams => streams.ConfigurePartitioning(silo.StreamQueueCount))
                // A lost gateway is a silo gone: the executions this node follows are looked up again at once.
                .AddGatewayCountChangedHandler(services => (_, e) =>
                {
                    if (e.NumberOfConnectedGateways < e.PreviousNumberOfConnectedGateways)
                    {
                        services.GetRequiredService<ExecutionStreamHub>().OnSiloLost();
                    }
                });
        });

        // The API checks a request's context against the same options the silos run with.
        builder.Services.AddExecutionRequestValidation();
        builder.Services.AddSingleton<IStoreFaultDetector, StoreFaultDetector>();
        builder.Services.AddStartupSummary("API node", silo, storage);
        return builder;
    }

    private sealed class AzureStorageStartupCheck(AzureStorageClients clients, AzureStorageOptions options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => AzureStorageCheck.EnsureReady(clients, options, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
