using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Agents;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.Grains.Models;
using Orleans.Agent.Grains.Observability;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using Orleans.Agent.Grains.Tools;
using Orleans.Agent.Grains.Workspaces;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>The one place a silo is wired, used by the standalone silo host and by the API's in-process silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>
    /// A silo: localhost clustering (one silo), or a cluster on Redis or Azure Storage membership with fast failure
    /// detection, plus <see cref="AddAgentGrains"/>.
    /// </summary>
    public static ISiloBuilder AddAgentSilo(this ISiloBuilder silo, AgentSiloOptions options, StorageOptions storage)
    {
        if (!options.IsCluster)
        {
            // One silo has no peer to take its grains over: a membership verdict of "dead" on its own entry would
            // only end the process (Orleans fails fast), so this silo never declares a silo dead, itself included.
            return silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId)
                .Configure<ClusterMembershipOptions>(o => o.LivenessEnabled = false)
                .AddAgentGrains(options, storage);
        }

        options.ThrowUnlessHostedBy(storage);
        if (options.UsesRedisGrainDirectory)
        {
            silo.UseRedisGrainDirectoryAsDefault(o => o.ConfigurationOptions = storage.RedisConfiguration());
        }

        if (options.Clustering == AgentSiloOptions.AzureStorageClustering)
        {
            silo.UseAzureStorageClustering(o => o.Configure<AzureStorageClients>((clustering, azure) => azure.ForMembership(clustering)));
        }
        else
        {
            silo.UseRedisClustering(o => o.ConfigurationOptions = storage.RedisConfiguration());
        }

        silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = options.ClusterId;
                o.ServiceId = options.ServiceId;
            })
            .ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false)
            .Configure<ClusterMembershipOptions>(o =>
            {
                // Defaults take about 15 s to declare a silo dead; executions and clients wait that long.
                o.ProbeTimeout = options.ProbeTimeout;
                o.NumMissedProbesLimit = options.MissedProbesLimit;
                o.NumVotesForDeathDeclaration = 1;
                o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
            });
        return silo.AddAgentGrains(options, storage);
    }

    /// <summary>
    /// What the execution grains need on any silo, whatever its clustering: the stores of <c>Storage:Provider</c>
    /// (grain state, reminders, the event log, the users' execution index), memory streams and the agent loop.
    /// </summary>
    public static ISiloBuilder AddAgentGrains(this ISiloBuilder silo, AgentSiloOptions options, StorageOptions storage)
    {
        silo.AddAgentStorage(options, storage);
        if (options.Streams ?? true)
        {
            silo.AddAgentStreams(options);
        }

        silo.Services.AddSingleton(Options.Create(options));

        silo.Configure<GrainCollectionOptions>(o => o.ClassSpecificCollectionAge[typeof(ExecutionGrain).FullName!] = options.ExecutionIdleTime);
        silo.AddIncomingGrainCallFilter<StoreFaultCallFilter>();
        silo.Services.AddSingleton<LocalWatchers>();
        silo.Services.AddSingleton<ExecutionMetrics>();
        // Its instruments exist from the start (a fresh silo's scrape shows its store-fault counters at 0), not from
        // the first execution.
        silo.AddStartupTask((services, _) =>
        {
            services.GetRequiredService<ExecutionMetrics>();
            return Task.CompletedTask;
        });
        silo.Services.AddSingleton<IInProcessWatchers>(sp => sp.GetRequiredService<LocalWatchers>());
        silo.Services.AddAgentLoop();
        return silo;
    }

    /// <summary>The execution stream provider: memory queues polled by pulling agents, tuned for a live fan-out.</summary>
    private static ISiloBuilder AddAgentStreams(this ISiloBuilder silo, AgentSiloOptions options) =>
        silo.AddMemoryStreams(AgentStreams.ProviderName, streams =>
        {
            streams.ConfigurePartitioning(options.StreamQueueCount);
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = options.StreamPullPeriod;
                o.StreamInactivityPeriod = options.StreamInactivityPeriod;
            }));
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = options.StreamCacheTime;
                o.DataMaxAgeInCache = options.StreamCacheTime;
                o.MetadataMinTimeInCache = options.StreamCacheTime;
            }));
        });

    /// <summary>The agent loop, its models and its tools, with their options validated at start-up.</summary>
    public static IServiceCollection AddAgentLoop(this IServiceCollection services)
    {
        services.AddExecutionRequestValidation();
        services.AddOptions<WorkspaceOptions>().BindConfiguration(WorkspaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<EventOptions>().BindConfiguration(EventOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ToolRegistry>();
        services.AddAgentTool<CreateFileTool>().AddAgentTool<ReadFileTool>().AddAgentTool<ListFilesTool>();
        services.AddSingleton<AgentLoop>();
        // The runner is chosen once, at start-up: the loop, or the load-test runner in front of it.
        services.AddSingleton<IAgentRunner>(sp => sp.GetRequiredService<IOptions<ModelOptions>>().Value.SyntheticWorkloads
            ? new SyntheticWorkloadRunner(sp.GetRequiredService<AgentLoop>())
            : sp.GetRequiredService<AgentLoop>());
        return services;
    }

    /// <summary>
    /// The model options and the check of a request's context against them: on silos, and on API nodes (which check
    /// before they start an execution).
    /// </summary>
    public static IServiceCollection AddExecutionRequestValidation(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddConfiguredModels();
        services.TryAddSingleton<IExecutionRequestValidator, ExecutionRequestValidator>();
        return services;
    }
}
