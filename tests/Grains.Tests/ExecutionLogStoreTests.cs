using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using StackExchange.Redis;

namespace Orleans.Agent.Tests;

public sealed class MemoryExecutionLogStoreTests : ExecutionLogStoreContract
{
    protected override IExecutionLogStore Store { get; } = new MemoryExecutionLogStore();

    protected override bool Expires => false;
}

public sealed class RedisExecutionLogStoreTests : ExecutionLogStoreContract, IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    protected override IExecutionLogStore Store => new RedisExecutionLogStore(_connection, "test");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.Start();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    // Redis expires keys on its own clock: wait for it (a condition, not a guess).
    protected override Task ExpireDueLogs(TimeSpan timeToLive) =>
        Poll.Until(async () => !await _connection.GetDatabase().KeyExistsAsync("test:log:e6"), TimeSpan.FromSeconds(10));
}

public sealed class AzureExecutionLogStoreTests : ExecutionLogStoreContract, IAsyncLifetime
{
    private readonly ManualClock _time = new();
    private AzuriteServer _azurite = null!;
    private AzureExecutionLogStore _store = null!;

    protected override IExecutionLogStore Store => _store;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.Start();
        var clients = await _azurite.ReadyClients();
        _store = new AzureExecutionLogStore(clients, _time);
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task A_backlog_of_due_logs_is_swept_in_pages_until_none_is_left()
    {
        var ids = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        await Task.WhenAll(ids.Select(async id =>
        {
            await _store.Append(id, Events(id, 1, 2));
            await _store.Retain(id, keepEvents: 0, TimeSpan.FromMinutes(1));
        }));
        _time.Now += TimeSpan.FromMinutes(2);

        var first = await _store.SweepExpired(maxPerShard: 2);
        var total = first;
        for (int removed; (removed = await _store.SweepExpired(maxPerShard: 2)) > 0;)
        {
            total += removed;
        }

        Assert.InRange(first, 1, 16); // at most a page per shard
        Assert.Equal(60, total);
        foreach (var id in ids)
        {
            Assert.Equal(0, await _store.LastSequence(id));
        }
    }

    // Tables have no time-to-live: the sweep (the expiry grain's reminder in a silo) removes what is due.
    protected override async Task ExpireDueLogs(TimeSpan timeToLive)
    {
        Assert.Equal(0, await _store.SweepExpired()); // not yet due
        _time.Now += timeToLive + TimeSpan.FromSeconds(1);
        Assert.Equal(1, await _store.SweepExpired());
        Assert.Equal(0, await _store.SweepExpired());
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
