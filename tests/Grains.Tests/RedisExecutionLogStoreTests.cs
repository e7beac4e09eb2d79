using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;
using StackExchange.Redis;

namespace Orleans.Agent.Tests;

public sealed class RedisExecutionLogStoreTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ConnectionMultiplexer _connection = null!;
    private RedisExecutionLogStore _store = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.Start();
        _connection = await ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        _store = new RedisExecutionLogStore(_connection, "test");
    }

    public async Task DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Batches_append_in_order_and_read_back_by_sequence()
    {
        await _store.Append("e1", Events("e1", 1, 3));
        await _store.Append("e1", Events("e1", 4, 7));

        var all = await _store.Read("e1", 0, 100);
        var page = await _store.Read("e1", 5, 3);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal([6L, 7, 8], page.Select(e => e.Sequence));
        Assert.Equal("thought 7", ((ThinkingData)page[1].Data).Thought);
        Assert.Empty(await _store.Read("unknown", 0, 10));
    }

    [Fact]
    public async Task An_append_that_does_not_continue_the_log_is_refused_and_writes_nothing()
    {
        await _store.Append("e2", Events("e2", 1, 5));

        await Assert.ThrowsAsync<LogConflictException>(() => _store.Append("e2", Events("e2", 3, 4)));
        await Assert.ThrowsAsync<LogConflictException>(() => _store.Append("e2", Events("e2", 7, 1)));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await _store.Read("e2", 0, 100)).Select(e => e.Sequence));
    }

    [Fact]
    public async Task Retention_keeps_the_newest_events_and_sets_a_time_to_live()
    {
        await _store.Append("e3", Events("e3", 1, 10));

        await _store.Retain("e3", keepEvents: 4, TimeSpan.FromMinutes(5));

        Assert.Equal([7L, 8, 9, 10], (await _store.Read("e3", 0, 100)).Select(e => e.Sequence));
        var ttl = await _connection.GetDatabase().KeyTimeToLiveAsync("test:log:e3");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        await _store.Append("e3", Events("e3", 11, 1)); // the log still ends where it did
    }

    [Fact]
    public async Task Artifacts_are_kept_by_name_beside_their_log_and_expire_with_it()
    {
        var big = new ExecutionArtifact(new string('a', 64), new byte[300_000]);
        Random.Shared.NextBytes(big.Content);
        await _store.PutArtifacts("e4", [big, new ExecutionArtifact(new string('b', 64), [1, 2, 3])]);
        await _store.PutArtifacts("e4", [big]); // named by content: again changes nothing
        await _store.Append("e4", Events("e4", 1, 2));

        Assert.Equal(big.Content, await _store.ReadArtifact("e4", big.Sha256));
        Assert.Equal([1, 2, 3], await _store.ReadArtifact("e4", new string('b', 64)));
        Assert.Null(await _store.ReadArtifact("e4", new string('c', 64)));
        Assert.Null(await _store.ReadArtifact("e5", big.Sha256)); // another execution's name space

        await _store.Retain("e4", keepEvents: 1, TimeSpan.FromMinutes(5));
        var ttl = await _connection.GetDatabase().KeyTimeToLiveAsync("test:artifacts:e4");
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
    }

    private static List<AgentEvent> Events(string executionId, int from, int count) =>
        Enumerable.Range(from, count)
            .Select(i => new AgentEvent(executionId, i, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData($"thought {i}", i)))
            .ToList();
}
