using Orleans.Agent.Events;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Tests;

/// <summary>The reconciling append, alone: a memory log behind a store that fails on cue.</summary>
public sealed class LogAppenderTests
{
    private const string Id = "exec-1";

    [Fact]
    public async Task A_write_that_timed_out_but_was_applied_is_found_written_not_written_twice()
    {
        var store = new FaultyStore { Next = { Fault.ApplyThenThrow } };
        var failures = new List<Exception>();

        await Appender(store).Append(Events(1, 3), [], failures.Add);

        Assert.Equal(new long[] { 1, 2, 3 }, await store.Sequences());
        Assert.IsType<TimeoutException>(Assert.Single(failures));
    }

    [Fact]
    public async Task A_write_that_failed_unapplied_is_written_again_after_the_log_end_is_read_back()
    {
        var store = new FaultyStore { Next = { Fault.Throw, Fault.Throw } };
        var appender = Appender(store);

        await appender.Append(Events(1, 2), [], _ => Assert.True(appender.InTrouble));

        Assert.Equal(new long[] { 1, 2 }, await store.Sequences());
        Assert.False(appender.InTrouble);
    }

    [Fact]
    public async Task A_conflict_with_its_own_late_applied_batch_is_recognised_by_content()
    {
        var store = new FaultyStore();
        var durable = Events(1, 2);
        await store.Inner.Append(Id, durable);
        var batch = Events(3, 4);
        await store.Inner.Append(Id, batch); // a timed-out attempt, applied when the store resumed
        var again = batch.Select(e => e with { }).ToList(); // equal content, other instances

        await Appender(store).Append(again, durable, _ => { });

        Assert.Equal(new long[] { 1, 2, 3, 4 }, await store.Sequences());
    }

    [Fact]
    public async Task Events_the_store_lost_are_written_again_from_memory_and_reported()
    {
        var store = new FaultyStore();
        var durable = Events(1, 5);
        await store.Inner.Append(Id, durable[..2]); // the store came back with only 1-2

        var restored = await Appender(store).Append(Events(6, 7), durable, _ => { });

        Assert.Equal(new long[] { 3, 4, 5 }, restored.Select(e => e.Sequence));
        Assert.Equal(new long[] { 1, 2, 3, 4, 5, 6, 7 }, await store.Sequences());
    }

    [Fact]
    public async Task Lost_events_this_activation_no_longer_holds_are_a_conflict_not_retried_for_ever()
    {
        var store = new FaultyStore { Next = { Fault.Throw } };
        var durable = Events(3, 5); // an activation that holds 3-5 only (1-2 were trimmed), while the store lost all

        await Assert.ThrowsAsync<LogConflictException>(() => Appender(store).Append(Events(6, 6), durable, _ => { }).AsTask());
        Assert.Empty(await store.Sequences());
    }

    [Fact]
    public async Task A_log_another_writer_extended_is_a_conflict()
    {
        var store = new FaultyStore();
        var durable = Events(1, 2);
        await store.Inner.Append(Id, durable);
        await store.Inner.Append(Id, Events(3, 3, thought: "someone else's"));

        await Assert.ThrowsAsync<LogConflictException>(() => Appender(store).Append(Events(3, 4), durable, _ => { }).AsTask());
        Assert.Equal(new long[] { 1, 2, 3 }, await store.Sequences());
    }

    [Fact]
    public async Task Same_sequences_with_other_content_are_a_conflict_not_a_late_write()
    {
        var store = new FaultyStore();
        await store.Inner.Append(Id, Events(1, 2, thought: "theirs"));

        await Assert.ThrowsAsync<LogConflictException>(() => Appender(store).Append(Events(1, 2), [], _ => { }).AsTask());
    }

    [Fact]
    public async Task Giving_up_ends_the_wait_between_attempts_at_once_and_writes_nothing()
    {
        var store = new FaultyStore { AlwaysFail = true };
        var appender = new LogAppender(store, Id, TimeProvider.System, _ => TimeSpan.FromMinutes(10));
        var failures = 0;

        // The first failure starts a ten-minute wait; giving up must end it at once.
        var append = appender.Append(Events(1, 1), [], _ => failures++).AsTask();
        await Poll.Until(() => Task.FromResult(failures == 1), TimeSpan.FromSeconds(10));
        appender.GiveUp();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => append.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(1, failures);
        Assert.NotNull(appender.TroubleSince);
        Assert.Empty(await store.Sequences());
    }

    private static LogAppender Appender(FaultyStore store) =>
        new(store, Id, TimeProvider.System, _ => TimeSpan.Zero);

    private static List<AgentEvent> Events(long from, long to, string thought = "ours") =>
        [.. Enumerable.Range((int)from, (int)(to - from + 1)).Select(i =>
            new AgentEvent(Id, i, AgentEventTypes.Thinking, new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero).AddMilliseconds(i), new ThinkingData($"{thought} {i}", i)))];

    private enum Fault
    {
        Throw,
        ApplyThenThrow,
    }

    /// <summary>A memory log whose next calls fail as listed in <see cref="Next"/> (or all, with <see cref="AlwaysFail"/>).</summary>
    private sealed class FaultyStore : IExecutionLogStore
    {
        public MemoryExecutionLogStore Inner { get; } = new();

        public List<Fault> Next { get; } = [];

        public bool AlwaysFail { get; set; }

        public async Task<long[]> Sequences() => [.. (await Inner.Read(Id, 0, 1000)).Select(e => e.Sequence)];

        public async Task Append(string executionId, IReadOnlyList<AgentEvent> events)
        {
            var fault = TakeFault();
            if (fault == Fault.ApplyThenThrow)
            {
                await Inner.Append(executionId, events);
            }

            if (fault is not null)
            {
                throw new TimeoutException("The store did not answer in time.");
            }

            await Inner.Append(executionId, events);
        }

        public Task<long> LastSequence(string executionId) => AlwaysFail ? throw new TimeoutException("down") : Inner.LastSequence(executionId);

        public Task Ping() => Inner.Ping();

        public Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount) =>
            AlwaysFail ? throw new TimeoutException("down") : Inner.Read(executionId, afterSequence, maxCount);

        public Task Retain(string executionId, int keepEvents, TimeSpan timeToLive) => Inner.Retain(executionId, keepEvents, timeToLive);

        public Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts) =>
            AlwaysFail ? throw new TimeoutException("down") : Inner.PutArtifacts(executionId, artifacts);

        public Task<byte[]?> ReadArtifact(string executionId, string sha256) => Inner.ReadArtifact(executionId, sha256);

        private Fault? TakeFault()
        {
            if (AlwaysFail)
            {
                return Fault.Throw;
            }

            if (Next.Count == 0)
            {
                return null;
            }

            var fault = Next[0];
            Next.RemoveAt(0);
            return fault;
        }
    }
}
