namespace Orleans.Agent.Tests;

/// <summary>
/// A real durable store process of either kind the product supports (Redis or Azure Storage on Azurite), and the
/// settings that point the product at it, so that one test proves a guarantee on every store.
/// </summary>
public sealed class DurableStore : IAsyncDisposable
{
    public const string Redis = "Redis";
    public const string AzureStorage = "AzureStorage";

    private readonly RedisServer? _redis;
    private readonly AzuriteServer? _azurite;

    private DurableStore(RedisServer? redis, AzuriteServer? azurite)
    {
        _redis = redis;
        _azurite = azurite;
    }

    /// <summary>Every durable store, for <c>[MemberData]</c>.</summary>
    public static TheoryData<string> Kinds => [Redis, AzureStorage];

    public static async Task<DurableStore> Start(string kind, bool persistent = false) => kind switch
    {
        Redis => new DurableStore(await RedisServer.Start(persistent), null),
        AzureStorage => new DurableStore(null, await AzuriteServer.Start(persistent)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Redis or AzureStorage"),
    };

    public string Kind => _redis is not null ? Redis : AzureStorage;

    /// <summary>The loopback ports the store listens on (Azurite: blob, then table).</summary>
    public IReadOnlyList<int> Ports => _redis is not null ? [_redis.Port] : [_azurite!.BlobPort, _azurite.TablePort];

    /// <summary>Configuration keys and values that select this store.</summary>
    public IReadOnlyDictionary<string, string> Configuration => ConfigurationThrough(Ports);

    /// <summary>The same, as command-line arguments of a product process.</summary>
    public string[] Settings => SettingsThrough(Ports);

    /// <summary>Settings that reach the store through other ports (proxies in front of <see cref="Ports"/>, in that order).</summary>
    public string[] SettingsThrough(IReadOnlyList<int> ports) => [.. ConfigurationThrough(ports).Select(setting => $"--{setting.Key}={setting.Value}")];

    public Task Pause() => _redis?.Pause() ?? _azurite!.Pause();

    public Task Resume() => _redis?.Resume() ?? _azurite!.Resume();

    /// <summary>Stops the store: Redis killed (-9: a persistent one has every write in its append-only file), Azurite stopped (it saves its data then).</summary>
    public Task Stop() => _redis?.Kill() ?? _azurite!.Stop();

    /// <summary>Starts the store again on the same ports (with its data if persistent), stopping it first if it runs.</summary>
    public Task Restart() => _redis?.Restart() ?? _azurite!.Restart();

    private Dictionary<string, string> ConfigurationThrough(IReadOnlyList<int> ports) => _redis is not null
        ? new() { ["Storage:Redis"] = $"127.0.0.1:{ports[0]}" }
        : new() { ["Storage:Provider"] = AzureStorage, ["Storage:AzureStorage:ConnectionString"] = _azurite!.ConnectionStringVia(ports[0], ports[1]) };

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
