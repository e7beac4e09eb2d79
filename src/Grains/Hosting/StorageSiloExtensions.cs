using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>A silo's stores, by <c>Storage:Provider</c>: grain state, reminders, the event log and the users' index.</summary>
public static class StorageSiloExtensions
{
    public static ISiloBuilder AddAgentStorage(this ISiloBuilder silo, AgentSiloOptions options, StorageOptions storage)
    {
        silo.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var streams = options.Streams ?? true;
        if (storage.UsesAzureStorage)
        {
            silo.AddAzureStorage(storage, streams);
        }
        else if (storage.UsesRedis)
        {
            var redis = storage.RedisConfiguration();
            silo.AddRedisGrainStorage(ExecutionStorage.Name, o => o.ConfigurationOptions = redis);
            if (streams)
            {
                silo.AddRedisGrainStorage(ExecutionStorage.PubSub, o => o.ConfigurationOptions = redis);
            }

            silo.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            silo.Services.AddSingleton<IExecutionLogStore>(sp =>
                new RedisExecutionLogStore(sp.GetRequiredService<IConnectionMultiplexer>(), storage.KeyPrefix));
            silo.Services.AddSingleton<IExecutionIndexStore>(sp =>
                new RedisExecutionIndexStore(sp.GetRequiredService<IConnectionMultiplexer>(), storage.KeyPrefix));
            silo.UseRedisReminderService(o => o.ConfigurationOptions = redis);
        }
        else
        {
            silo.Services.AddGrainStorage(ExecutionStorage.Name, SiloMemory);
            if (streams)
            {
                silo.Services.AddGrainStorage(ExecutionStorage.PubSub, SiloMemory);
            }

            silo.Services.AddSingleton<IExecutionLogStore, MemoryExecutionLogStore>();
            silo.Services.AddSingleton<IExecutionIndexStore, MemoryExecutionIndexStore>();
            silo.UseInMemoryReminderService();
        }

        silo.Services.AddSingleton<IStoreFaultDetector, StoreFaultDetector>();
        return silo;
    }

    private static void AddAzureStorage(this ISiloBuilder silo, StorageOptions storage, bool streams)
    {
        silo.Services.AddAzureStorageClients(storage);
        silo.AddAzureTableGrainStorage(ExecutionStorage.Name, o => o.Configure<AzureStorageClients>((state, azure) =>
        {
            state.TableServiceClient = azure.Tables;
            state.TableName = azure.StateTable;
        }));
        if (streams)
        {
            silo.AddAzureTableGrainStorage(ExecutionStorage.PubSub, o => o.Configure<AzureStorageClients>((state, azure) =>
            {
                state.TableServiceClient = azure.Tables;
                state.TableName = azure.StateTable;
            }));
        }

        silo.UseAzureTableReminderService(o => o.Configure<AzureStorageClients>((reminders, azure) =>
        {
            reminders.TableServiceClient = azure.Tables;
            reminders.TableName = azure.RemindersTable;
        }));
        silo.Services.AddSingleton<AzureExecutionLogStore>();
        silo.Services.AddSingleton<IExecutionLogStore>(sp => sp.GetRequiredService<AzureExecutionLogStore>());
        silo.Services.AddSingleton<IExecutionIndexStore>(sp => new AzureExecutionIndexStore(sp.GetRequiredService<AzureStorageClients>()));
        // First of everything the silo starts: a wrong or unreachable account stops it here, naming the setting.
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new AzureStorageStartup(sp.GetRequiredService<AzureStorageClients>(), storage.AzureStorage));
        silo.AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<ILogExpiryGrain>(0).Start());
    }

    /// <summary>The account's clients, once per process (a silo, an API node, or an API node hosting a silo).</summary>
    public static IServiceCollection AddAzureStorageClients(this IServiceCollection services, StorageOptions storage)
    {
        services.TryAddSingleton(_ => new AzureStorageClients(storage));
        return services;
    }

    private static SiloMemoryGrainStorage SiloMemory(IServiceProvider services, string name) =>
        ActivatorUtilities.CreateInstance<SiloMemoryGrainStorage>(services);

    private sealed class AzureStorageStartup(AzureStorageClients clients, AzureStorageOptions options) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(AzureStorageStartup), ServiceLifecycleStage.First, ct => AzureStorageCheck.EnsureReady(clients, options, ct));
    }
}
