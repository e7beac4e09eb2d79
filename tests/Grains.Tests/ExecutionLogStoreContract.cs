using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Tests;

/// <summary>What every <see cref="IExecutionLogStore"/> must do; run against each store (memory, Redis, Azure Storage).</summary>
public abstract class ExecutionLogStoreContract
{
    protected abstract IExecutionLogStore Store { get; }

    /// <summary>Whether the store removes a finished log after its time to live (memory logs live as long as the process).</summary>
    protected virtual bool Expires => true;

    [Fact]
    public async Task Batches_append_in_order_and_read_back_by_sequence()
    {
        await Store.Append("e1", Events("e1", 1, 3));
        await Store.Append("e1", Events("e1", 4, 7));

        var all = await Store.Read("e1", 0, 100);
        var page = await Store.Read("e1", 5, 3);

        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), all.Select(e => e.Sequence));
        Assert.Equal([6L, 7, 8], page.Select(e => e.Sequence));
        Assert.Equal("thought 7", ((ThinkingData)page[1].Data).Thought);
        Assert.Empty(await Store.Read("unknown", 0, 10));
        Assert.Equal(10, await Store.LastSequence("e1"));
        Assert.Equal(0, await Store.LastSequence("unknown"));
    }

    [Fact]
    public async Task Reads_page_through_a_long_log_of_many_batches()
    {
        for (var first = 1; first <= 500; first += 50)
        {
            await Store.Append("long", Events("long", first, 50));
        }

        var read = new List<long>();
        for (long after = 0; ;)
        {
            var page = await Store.Read("long", after, 64);
            if (page.Count == 0)
            {
                break;
            }

            Assert.True(page.Count <= 64);
            read.AddRange(page.Select(e => e.Sequence));
            after = page[^1].Sequence;
        }

        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), read);
    }

    [Fact]
    public async Task An_append_that_does_not_continue_the_log_is_refused_and_writes_nothing()
    {
        await Store.Append("e2", Events("e2", 1, 5));

        await Assert.ThrowsAsync<LogConflictException>(() => Store.Append("e2", Events("e2", 3, 4)));
        await Assert.ThrowsAsync<LogConflictException>(() => Store.Append("e2", Events("e2", 7, 1)));
        await Assert.ThrowsAsync<LogConflictException>(() => Store.Append("e2-new", Events("e2-new", 2, 1)));

        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await Store.Read("e2", 0, 100)).Select(e => e.Sequence));
        Assert.Empty(await Store.Read("e2-new", 0, 100));
    }

    [Fact]
    public async Task Two_writers_racing_for_the_same_sequences_leave_one_whole_batch()
    {
        await Store.Append("race", Events("race", 1, 2));
        var first = Events("race", 3, 4, "first");
        var second = Events("race", 3, 4, "second");

        var results = await Task.WhenAll(Try(first), Try(second));

        Assert.Single(results, ok => ok);
        var log = await Store.Read("race", 2, 100);
        Assert.Equal([3L, 4, 5, 6], log.Select(e => e.Sequence));
        var winner = results[0] ? "first" : "second";
        Assert.All(log, e => Assert.StartsWith(winner, ((ThinkingData)e.Data).Thought, StringComparison.Ordinal));

        async Task<bool> Try(List<AgentEvent> batch)
        {
            try
            {
                await Store.Append("race", batch);
                return true;
            }
            catch (LogConflictException)
            {
                return false;
            }
        }
    }

    [Fact]
    public async Task A_batch_too_large_for_one_record_is_kept_whole()
    {
        // 12 thoughts of 100 KB: larger than one Azure table row, or one stream message.
        var big = Enumerable.Range(1, 12)
            .Select(i => new AgentEvent("big", i, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData(new string((char)('a' + i), 100_000), i)))
            .ToList();
        await Store.Append("big", big);
        await Store.Append("big", Events("big", 13, 1));

        var read = await Store.Read("big", 5, 100);

        Assert.Equal(Enumerable.Range(6, 8).Select(i => (long)i), read.Select(e => e.Sequence));
        Assert.Equal(new string('g', 100_000), ((ThinkingData)read[0].Data).Thought);
    }

    [Fact]
    public async Task Retention_keeps_the_newest_events_and_the_end_of_the_log()
    {
        await Store.Append("e3", Events("e3", 1, 3));
        await Store.Append("e3", Events("e3", 4, 5));
        await Store.Append("e3", Events("e3", 9, 2));

        await Store.Retain("e3", keepEvents: 4, TimeSpan.FromMinutes(5));

        Assert.Equal([7L, 8, 9, 10], (await Store.Read("e3", 0, 100)).Select(e => e.Sequence));
        Assert.Equal(10, await Store.LastSequence("e3"));
        await Store.Append("e3", Events("e3", 11, 1)); // the log still ends where it did
        await Assert.ThrowsAsync<LogConflictException>(() => Store.Append("e3", Events("e3", 1, 1)));
    }

    [Fact]
    public async Task Artifacts_are_kept_by_name_beside_their_log()
    {
        var big = new ExecutionArtifact(new string('a', 64), new byte[300_000]);
        Random.Shared.NextBytes(big.Content);
        await Store.PutArtifacts("e4", [big, new ExecutionArtifact(new string('b', 64), [1, 2, 3])]);
        await Store.PutArtifacts("e4", [big]); // named by content: again changes nothing
        await Store.Append("e4", Events("e4", 1, 2));

        Assert.Equal(big.Content, await Store.ReadArtifact("e4", big.Sha256));
        Assert.Equal([1, 2, 3], await Store.ReadArtifact("e4", new string('b', 64)));
        Assert.Null(await Store.ReadArtifact("e4", new string('c', 64)));
        Assert.Null(await Store.ReadArtifact("e5", big.Sha256)); // another execution's name space
    }

    [Fact]
    public async Task A_finished_log_and_its_artifacts_are_removed_after_their_time()
    {
        if (!Expires)
        {
            return; // memory logs live as long as the process: nothing to prove
        }

        await Store.PutArtifacts("e6", [new ExecutionArtifact(new string('d', 64), [4, 5])]);
        await Store.Append("e6", Events("e6", 1, 3));
        await Store.Append("e7", Events("e7", 1, 1));

        await Store.Retain("e6", keepEvents: 0, TimeSpan.FromSeconds(1));
        await Store.Retain("e7", keepEvents: 0, TimeSpan.FromDays(1));
        await ExpireDueLogs(TimeSpan.FromSeconds(1));

        Assert.Empty(await Store.Read("e6", 0, 100));
        Assert.Equal(0, await Store.LastSequence("e6"));
        Assert.Null(await Store.ReadArtifact("e6", new string('d', 64)));
        Assert.Single(await Store.Read("e7", 0, 100));
    }

    /// <summary>Lets <paramref name="timeToLive"/> pass for the store (and runs its clean-up, if it needs one).</summary>
    protected virtual Task ExpireDueLogs(TimeSpan timeToLive) => Task.CompletedTask;

    protected static List<AgentEvent> Events(string executionId, int from, int count, string prefix = "thought") =>
        Enumerable.Range(from, count)
            .Select(i => new AgentEvent(executionId, i, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData($"{prefix} {i}", i)))
            .ToList();
}
