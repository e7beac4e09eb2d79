using Orleans.Agent.Api.Streaming;
using static Orleans.Agent.Tests.FakeNode;

namespace Orleans.Agent.Tests;

/// <summary>
/// One connection's feed against a fake grain and a fake live path: the policy's decisions carried out as reads,
/// joins and waits, with no Kestrel and no cluster.
/// </summary>
public sealed class ExecutionEventFeedTests
{
    private static readonly SseOptions Options = new();

    [Fact]
    public async Task A_stranger_gets_no_feed_and_causes_no_subscription()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1));

        var feed = await ExecutionEventFeed.Open(grain, hub, "e", "mallory", 0, null, Options);

        Assert.Null(feed);
        Assert.Equal(0, source.Attaches("e"));
        Assert.Equal(0, hub.SubscribedExecutions);
    }

    [Fact]
    public async Task What_is_appended_between_the_first_read_and_the_join_comes_from_the_second_read()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1), Event(2));
        grain.AfterRead = () =>
        {
            grain.AfterRead = null;
            grain.Append(Event(3)); // durable and pushed before this node watched: never live here
        };

        await using var feed = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;

        Assert.Equal(new long[] { 1L, 2 }, await Next(feed));
        Assert.Equal(new long[] { 3L }, await Next(feed));
        Assert.Equal(1, source.Attaches("e"));
        await source.Deliver("e", Event(3), Event(4)); // 3 again (live after all), then 4
        Assert.Equal(new long[] { 4L }, await Next(feed));
    }

    [Fact]
    public async Task A_live_gap_is_filled_from_the_log_and_the_run_ends_with_its_terminal_event()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1));
        await using var feed = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        Assert.Equal(new long[] { 1L }, await Next(feed));
        Assert.Null(await feed.Next()); // the second read found nothing new: the feed waits for the live path

        grain.Append(Event(2), Event(3), Event(4, terminal: true));
        await source.Deliver("e", Event(3), Event(4, terminal: true)); // the push of 2 was lost

        Assert.Equal(new long[] { 2L, 3, 4 }, await Next(feed));
        Assert.True(feed.Ended);
    }

    [Fact]
    public async Task A_later_connection_to_a_followed_execution_reads_once()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1), Event(2));
        await using var first = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        await Next(first);
        Assert.Null(await first.Next());
        var readsBefore = grain.Reads;

        await using var later = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        Assert.Equal(new long[] { 1L, 2 }, await Next(later));
        await source.Deliver("e", Event(3));

        Assert.Equal(new long[] { 3L }, await Next(later));
        Assert.Equal(readsBefore + 1, grain.Reads);
        Assert.Equal(1, source.Attaches("e"));
    }

    [Fact]
    public async Task Connections_opening_together_share_the_frames_of_their_first_page()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1), Event(2));
        await using var first = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        var alone = (await first.Next())!;
        await using var second = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        var shared = (await second.Next())!;
        await using var third = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        var reused = (await third.Next())!;

        Assert.Equal([1L, 2], reused.Select(e => e.Sequence));
        Assert.All(reused.Zip(shared), pair => Assert.Same(pair.Second, pair.First));
        Assert.All(alone.Zip(shared), pair => Assert.NotSame(pair.Second, pair.First)); // one connection keeps nothing
        Assert.Equal(alone.Select(e => e.Frame), shared.Select(e => e.Frame));
    }

    [Fact]
    public async Task A_cursor_at_the_terminal_event_has_nothing_to_send_and_does_not_subscribe()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1), Event(2, terminal: true));

        await using var feed = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 2, null, Options))!;

        Assert.True(feed.NothingToSend);
        Assert.Equal(0, source.Attaches("e"));
    }

    [Fact]
    public async Task A_cursor_older_than_the_retained_log_gets_a_reset_and_the_events_after_the_snapshot()
    {
        var (hub, _, grain) = FakeNode.Create();
        grain.Append([.. Enumerable.Range(1, 20).Select(i => Event(i))]);
        grain.FirstRetained = 11;

        await using var feed = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 5, null, Options))!;

        var reset = feed.TakeReset();
        Assert.NotNull(reset);
        Assert.Equal(("retention", "5", 20L), (reset.Reason, reset.RequestedCursor, reset.Snapshot.LastSequence));
        Assert.Empty(await Next(feed));
        Assert.Equal(20, feed.LastSequence);
    }

    [Fact]
    public async Task A_silence_the_log_explains_renews_the_delivery_once_for_the_execution()
    {
        var (hub, source, grain) = FakeNode.Create();
        grain.Append(Event(1));
        await using var feed = (await ExecutionEventFeed.Open(grain, hub, "e", FakeExecutionGrain.Owner, 0, null, Options))!;
        await Next(feed);
        Assert.Null(await feed.Next());

        grain.Append(Event(2)); // durable, but its push never came
        hub.Sweep(Options.CatchUpInterval, Options.HeartbeatInterval, Environment.TickCount64 + (long)Options.CatchUpInterval.TotalMilliseconds * 2);
        await feed.WaitAsync(CancellationToken.None).AsTask().WaitAsync(ApiServer.Deadline); // woken by the probe

        Assert.Equal(new long[] { 2L }, await Next(feed));
        Assert.Equal(1, source.Renews("e"));
    }

    /// <summary>The sequences the next non-waiting call hands out (waiting first if the feed has nothing to do yet).</summary>
    private static async Task<long[]> Next(ExecutionEventFeed feed)
    {
        using var deadline = new CancellationTokenSource(ApiServer.Deadline);
        while (true)
        {
            if (await feed.Next() is { } events)
            {
                return [.. events.Select(e => e.Sequence)];
            }

            await feed.WaitAsync(deadline.Token).AsTask().WaitAsync(deadline.Token);
        }
    }
}
