using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using StackExchange.Redis;

namespace Orleans.Agent.Tests;

/// <summary>What every <see cref="IExecutionIndexStore"/> must do; run against each store (memory, Redis, Azure Storage).</summary>
public abstract class ExecutionIndexStoreContract
{
    protected const int MaxEntries = 5;

    /// <summary>A store that keeps at most <see cref="MaxEntries"/> entries per user.</summary>
    protected abstract IExecutionIndexStore Store { get; }

    [Fact]
    public async Task Lists_a_users_executions_newest_first_in_pages()
    {
        var ids = await RecordSome("pages", 4);

        var first = await Store.List("pages", null, 3);
        var second = await Store.List("pages", first.NextCursor, 3);

        Assert.Equal(ids.AsEnumerable().Reverse().Take(3), first.Items.Select(e => e.ExecutionId));
        Assert.Equal(ids[1], first.NextCursor);
        Assert.Equal([ids[0]], second.Items.Select(e => e.ExecutionId));
        Assert.Null(second.NextCursor);
        Assert.Equal("task 0", second.Items[0].Task);
    }

    [Fact]
    public async Task A_second_record_of_an_execution_replaces_its_entry()
    {
        var ids = await RecordSome("replace", 2);

        await Store.Record("replace", new ExecutionSummary(ids[0], "task 0", DateTimeOffset.UnixEpoch, ExecutionStatus.Completed));

        var entries = (await Store.List("replace", null, 10)).Items;
        Assert.Equal(2, entries.Length);
        Assert.Equal(ExecutionStatus.Completed, Assert.Single(entries, e => e.ExecutionId == ids[0]).Status);
    }

    [Fact]
    public async Task Keeps_only_the_newest_entries_and_users_apart()
    {
        var ids = await RecordSome("many", MaxEntries + 3);
        var other = await RecordSome("many/other#?\\ é", 1); // any user id, even one with characters keys cannot hold

        var kept = (await Store.List("many", null, 100)).Items.Select(e => e.ExecutionId);

        Assert.Equal(ids.Skip(3).Reverse(), kept);
        Assert.Equal(other, (await Store.List("many/other#?\\ é", null, 100)).Items.Select(e => e.ExecutionId));
        Assert.Empty((await Store.List("nobody", null, 100)).Items);
    }

    private async Task<List<string>> RecordSome(string userId, int count)
    {
        // Id order is the index's order (version-7 ids made in the same millisecond are not monotonic, so sort them).
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7().ToString("N")).Order(StringComparer.Ordinal).ToList();
        for (var i = 0; i < count; i++)
        {
            await Store.Record(userId, new ExecutionSummary(ids[i], $"task {i}", DateTimeOffset.UnixEpoch.AddMinutes(i), ExecutionStatus.Running));
        }

        return ids;
    }
}

public sealed class MemoryExecutionIndexStoreTests : ExecutionIndexStoreContract
{
    protected override IExecutionIndexStore Store { get; } = new MemoryExecutionIndexStore(MaxEntries);
}

public sealed class RedisExecutionIndexStoreTests : ExecutionIndexStoreContract, IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;

    protected override IExecutionIndexStore Store => new RedisExecutionIndexStore(_connection, "test", MaxEntries);

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
}

public sealed class AzureExecutionIndexStoreTests : ExecutionIndexStoreContract, IAsyncLifetime
{
    private AzuriteServer _azurite = null!;
    private AzureExecutionIndexStore _store = null!;

    protected override IExecutionIndexStore Store => _store;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteServer.Start();
        var clients = await _azurite.ReadyClients();
        _store = new AzureExecutionIndexStore(clients, MaxEntries, trimEvery: 1); // trimmed at every record, to prove the trim exact
    }

    public async Task DisposeAsync() => await _azurite.DisposeAsync();
}
