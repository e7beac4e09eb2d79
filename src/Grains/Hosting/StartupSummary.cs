using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>
/// One line at start-up that says what a person needs to know about this process: what it is, which cluster it is
/// in (or that it is alone), and where its data lives; never a secret.
/// </summary>
public sealed partial class StartupSummary(ILogger<StartupSummary> logger, string role, AgentSiloOptions silo, StorageOptions storage) : IHostedService
{
    private readonly string _cluster = Cluster(silo);
    private readonly string _store = Store(storage);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(logger, role, _cluster, _store);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The cluster this process belongs to, and how its members find each other.</summary>
    public static string Cluster(AgentSiloOptions silo) => silo.IsCluster
        ? $"cluster '{silo.ClusterId}' (membership in {silo.Clustering}, grain directory in {(silo.UsesRedisGrainDirectory ? "Redis" : "the silos")})"
        : $"a single silo (silo port {silo.SiloPort}, gateway {silo.GatewayPort}, on {silo.AdvertisedAddress})";

    /// <summary>Where grain state, reminders and the event logs live, named without credentials.</summary>
    public static string Store(StorageOptions storage) => storage.EffectiveProvider switch
    {
        StorageOptions.RedisProvider => $"Redis at {string.Join(", ", storage.RedisConfiguration().EndPoints)}",
        StorageOptions.AzureStorageProvider => $"Azure Storage account {AccountOf(storage.AzureStorage)}",
        _ => "memory (this process only: everything is gone when it stops)",
    };

    private static string AccountOf(AzureStorageOptions azure)
    {
        if (!azure.UsesConnectionString)
        {
            return azure.TableServiceUri?.Host ?? "(unnamed)";
        }

        var parts = azure.ConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var name = parts.GetValueOrDefault("AccountName") ?? "(unnamed)";
        return parts.TryGetValue("TableEndpoint", out var tables) && Uri.TryCreate(tables, UriKind.Absolute, out var uri)
            ? $"{name} (tables at {uri.Authority})"
            : name;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Orleans.Agent {Role}: {Cluster}; data in {Store}")]
    private static partial void LogStarted(ILogger logger, string role, string cluster, string store);
}

public static class StartupSummaryServiceCollectionExtensions
{
    /// <summary>Logs the summary at start; hosted services start in order, so call it after what it describes.</summary>
    public static IServiceCollection AddStartupSummary(this IServiceCollection services, string role, AgentSiloOptions silo, StorageOptions storage) =>
        services.AddHostedService(sp => new StartupSummary(sp.GetRequiredService<ILogger<StartupSummary>>(), role, silo, storage));
}
