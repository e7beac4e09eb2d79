using System.Collections.Immutable;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

/// <summary>
/// The catch-up policy on its own, with pages and live events made by hand: no grain, no Kestrel, no clock. Each case is
/// a situation of the live path (late, duplicated, lost, silent) and what the connection must do about it.
/// </summary>
public sealed class CatchUpPolicyTests
{
    [Fact]
    public void A_first_connection_reads_the_log_again_after_joining_a_later_one_does_not()
    {
        var first = new CatchUpPolicy(afterSequence: 0);
        var later = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);

        Assert.Equal([1L, 2, 3], Sequences(first.FromFirstPage(Page(1, 3, last: 3))));
        Assert.Equal([1L, 2, 3], Sequences(later.FromFirstPage(Page(1, 3, last: 3))));

        Assert.True(first.ShouldReadLog); // events appended between its read and its join are only in the log
        Assert.False(later.ShouldReadLog); // it joined before reading: the live path has everything after the page
    }

    [Fact]
    public void A_full_page_means_read_again_whatever_the_live_path_has()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);

        policy.FromFirstPage(Page(1, 1000, last: 2500));

        Assert.True(policy.ShouldReadLog);
        Assert.Equal([1001L, 1002], Sequences(policy.FromLog(Page(1001, 2, last: 2500))));
        Assert.True(policy.ShouldReadLog);
    }

    [Fact]
    public void Live_events_already_read_from_the_log_are_dropped_and_the_rest_delivered_in_order()
    {
        var policy = new CatchUpPolicy(afterSequence: 0);
        policy.FromFirstPage(Page(1, 5, last: 5));
        var live = Buffer(3, 4, 5, 6, 7);

        Assert.Equal([6L, 7], Sequences(policy.FromLive(live)));
        Assert.Equal(7, policy.LastSequence);
    }

    [Fact]
    public void A_gap_in_the_live_path_stops_at_the_gap_and_reads_the_log_which_fills_it()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);
        policy.FromFirstPage(Page(1, 2, last: 2));
        var live = Buffer(3, 5, 6); // 4 was lost on the way

        Assert.Equal([3L], Sequences(policy.FromLive(live)));
        Assert.True(policy.ShouldReadLog);
        Assert.Equal([4L, 5, 6], Sequences(policy.FromLog(Page(4, 3, last: 6))));
        Assert.Empty(policy.FromLive(live)); // 6 was the last one queued, and is behind the cursor now
        Assert.False(policy.ShouldReadLog);
    }

    [Fact]
    public void A_silence_the_log_does_not_explain_is_flagged_so_the_subscription_is_replaced()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);
        policy.FromFirstPage(Page(1, 2, last: 2));
        Assert.False(policy.ShouldReadLog);

        policy.Wake(LiveWake.CatchUp); // the node's probe saw the log's end past this connection

        Assert.True(policy.ShouldReadLog);
        Assert.True(policy.ReadIsAfterSilence);
        Assert.Equal([3L, 4], Sequences(policy.FromLog(Page(3, 2, last: 4))));
        Assert.False(policy.ReadIsAfterSilence);
        Assert.False(policy.ShouldReadLog);
    }

    [Fact]
    public void After_a_failover_the_log_is_reread_without_counting_as_a_lost_subscription()
    {
        var policy = new CatchUpPolicy(afterSequence: 10, liveCoversRest: true);
        policy.FromFirstPage(Page(11, 1, last: 11));

        policy.Wake(LiveWake.Reread);

        Assert.True(policy.ShouldReadLog);
        Assert.False(policy.ReadIsAfterSilence);
    }

    [Fact]
    public void A_heartbeat_is_due_only_while_nothing_was_delivered_and_is_taken_once()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);
        policy.FromFirstPage(Page(1, 1, last: 1));

        policy.Wake(LiveWake.Heartbeat);
        policy.FromLive(Buffer(2)); // an event went out: it is the sign of life
        Assert.False(policy.TakeHeartbeat());

        policy.Wake(LiveWake.Heartbeat);
        Assert.True(policy.TakeHeartbeat());
        Assert.False(policy.TakeHeartbeat());
    }

    [Fact]
    public void Nothing_follows_the_terminal_event_from_either_path()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);
        var events = Enumerable.Range(1, 3).Select(i => Event(i)).Append(Event(4, terminal: true)).Append(Event(5)).ToImmutableArray();

        var delivered = policy.FromFirstPage(new EventPage(events, 5, IsTerminal: true));

        Assert.Equal([1L, 2, 3, 4], Sequences(delivered));
        Assert.True(policy.Ended);
        Assert.Empty(policy.FromLive(Buffer(5, 6)));
    }

    [Fact]
    public void A_cursor_at_the_end_of_a_finished_log_has_ended_before_anything_is_sent()
    {
        var policy = new CatchUpPolicy(afterSequence: 4);

        var delivered = policy.FromFirstPage(new EventPage([], 4, IsTerminal: true));

        Assert.Empty(delivered);
        Assert.True(policy.Ended);
    }

    [Fact]
    public void Retention_moves_the_cursor_to_the_snapshot_and_reads_on_from_there()
    {
        var policy = new CatchUpPolicy(afterSequence: 0, liveCoversRest: true);
        policy.FromFirstPage(Page(1, 2, last: 2));
        policy.Wake(LiveWake.CatchUp);

        policy.SkipTo(Snapshot(lastSequence: 90, ExecutionStatus.Running));

        Assert.Equal(90, policy.LastSequence);
        Assert.False(policy.Ended);
        Assert.True(policy.ShouldReadLog);
        Assert.False(policy.ReadIsAfterSilence); // the live path lost nothing: the log lost the events
        Assert.Equal([91L], Sequences(policy.FromLog(Page(91, 1, last: 91))));
    }

    private static long[] Sequences(IEnumerable<SerializedEvent> events) => [.. events.Select(e => e.Sequence)];

    private static EventPage Page(long first, int count, long last) =>
        new([.. Enumerable.Range(0, count).Select(i => Event(first + i))], last, IsTerminal: false, FirstSequence: 1);

    private static LiveBuffer Buffer(params long[] sequences)
    {
        var buffer = new LiveBuffer(100, 1_000_000, deliveredSequence: 0);
        foreach (var sequence in sequences)
        {
            buffer.Offer(SerializedEvent.From(Event(sequence)));
        }

        return buffer;
    }

    private static AgentEvent Event(long sequence, bool terminal = false) => terminal
        ? new AgentEvent("exec", sequence, AgentEventTypes.ExecutionComplete, DateTimeOffset.UnixEpoch, new ExecutionCompleteData("done", 1, new TokenUsage(0, 0)))
        : new AgentEvent("exec", sequence, AgentEventTypes.Thinking, DateTimeOffset.UnixEpoch, new ThinkingData("x", 1));

    private static ExecutionSnapshot Snapshot(long lastSequence, ExecutionStatus status) =>
        new("exec", status, "task", DateTimeOffset.UnixEpoch, lastSequence);
}
