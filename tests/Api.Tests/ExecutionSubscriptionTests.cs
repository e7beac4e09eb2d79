using Orleans.Agent.Api.Streaming;
using static Orleans.Agent.Tests.FakeNode;

namespace Orleans.Agent.Tests;

/// <summary>
/// The node's subscriptions on their own: a fake live source stands in for the grain's pushes (or the stream), a fake
/// grain for the probe's and the recovery's calls, and the sweep is handed the time, so nothing waits on a clock.
/// </summary>
public sealed class ExecutionSubscriptionTests
{
    private static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Connections_to_one_execution_share_one_attachment_and_each_event_is_serialized_once()
    {
        var (hub, source, _) = FakeNode.Create();
        var (a, b) = (Buffer(), Buffer());

        await using var first = await hub.Join("e1", "alice", a);
        await using var second = await hub.Join("e1", "alice", b);
        await source.Deliver("e1", Event(1), Event(2));

        Assert.Equal(1, source.Attaches("e1"));
        Assert.Equal(1, hub.SubscribedExecutions);
        var fromA = a.TakeAll()!;
        Assert.Equal([1, 2], fromA.Select(e => e.Sequence));
        Assert.Equal(fromA, b.TakeAll()!, ReferenceEqualityComparer.Instance); // one frame per event, shared
    }

    [Fact]
    public async Task A_shared_frame_is_found_only_under_its_own_sequence()
    {
        var (hub, _, _) = FakeNode.Create();
        await using var first = await hub.Join("e", "alice", Buffer());
        await using var second = await hub.Join("e", "alice", Buffer());
        var subscription = second.Subscription;

        var one = subscription.Serialize(Event(1));
        Assert.Same(one, subscription.Serialize(Event(1)));
        var seventeen = subscription.Serialize(Event(17)); // the same slot of the recent frames
        Assert.Equal(17, seventeen.Sequence);
        Assert.NotSame(one, subscription.Serialize(Event(1)));
    }

    [Fact]
    public async Task The_last_connection_to_leave_detaches_and_after_the_terminal_batch_without_a_call()
    {
        var (hub, source, _) = FakeNode.Create();

        var running = await hub.Join("running", "alice", Buffer());
        var other = await hub.Join("running", "alice", Buffer());
        await other.DisposeAsync();
        Assert.Equal(0, source.Detaches("running"));
        await running.DisposeAsync();

        var finished = await hub.Join("finished", "alice", Buffer());
        await source.Deliver("finished", Event(1, terminal: true));
        await finished.DisposeAsync();

        Assert.Equal([false], source.DetachedWith("running")); // the grain still pushes: tell it to stop
        Assert.Equal([true], source.DetachedWith("finished")); // the grain forgot the node with its terminal batch
        Assert.Equal(0, hub.SubscribedExecutions);
    }

    [Fact]
    public async Task A_failed_attach_leaves_nothing_behind_and_a_later_join_tries_again()
    {
        var (hub, source, _) = FakeNode.Create();
        source.FailNextAttach = true;

        await Assert.ThrowsAsync<OrleansException>(() => hub.Join("e1", "alice", Buffer()));
        Assert.Equal(0, hub.SubscribedExecutions);

        await using var joined = await hub.Join("e1", "alice", Buffer());
        Assert.Equal(2, source.Attaches("e1"));
    }

    [Fact]
    public async Task A_later_connection_joins_without_waiting_only_once_the_execution_is_followed()
    {
        var (hub, _, _) = FakeNode.Create();

        Assert.Null(hub.TryJoinFollowed("e1", Buffer()));
        await using var first = await hub.Join("e1", "alice", Buffer());
        var later = hub.TryJoinFollowed("e1", Buffer());

        Assert.NotNull(later);
        await later.DisposeAsync();
    }

    [Fact]
    public async Task The_sweep_wakes_for_heartbeats_when_due_and_ends_connections_whose_client_went_away()
    {
        var (hub, _, _) = FakeNode.Create();
        var (quiet, gone) = (Buffer(), Buffer());
        using var hangUp = new CancellationTokenSource();
        gone.ClientGone = hangUp.Token;
        await using var a = await hub.Join("e1", "alice", quiet);
        await using var b = await hub.Join("e1", "alice", gone);
        var now = Environment.TickCount64;

        hub.Sweep(CatchUp, Heartbeat, now + 1_000);
        Assert.Equal(LiveWake.None, quiet.TakeWakes());

        await hangUp.CancelAsync();
        hub.Sweep(CatchUp, Heartbeat, now + (long)Heartbeat.TotalMilliseconds + 1_000);

        Assert.Equal(LiveWake.Heartbeat, quiet.TakeWakes());
        Assert.True(gone.IsClosed);
        Assert.False(quiet.IsClosed);
    }

    [Fact]
    public async Task One_probe_per_interval_for_all_connections_wakes_only_those_behind_the_log()
    {
        var (hub, _, grain) = FakeNode.Create();
        grain.LastSequence = 10;
        var (behind, upToDate) = (Buffer(), Buffer());
        upToDate.DeliveredUpTo(10);
        behind.DeliveredUpTo(7);
        var joined = new List<IAsyncDisposable> { await hub.Join("e1", "alice", behind), await hub.Join("e1", "alice", upToDate) };
        for (var i = 0; i < 50; i++)
        {
            joined.Add(await hub.Join("e1", "alice", Buffer(delivered: 10)));
        }

        // Every connection is quiet (nothing delivered for longer than the interval): many sweeps, one probe.
        var quietSince = Environment.TickCount64 + (long)CatchUp.TotalMilliseconds * 2;
        for (var i = 0; i < 5; i++)
        {
            hub.Sweep(CatchUp, Heartbeat, quietSince + i);
        }

        await Poll.Until(() => Task.FromResult(behind.TakeWakes() == LiveWake.CatchUp), ApiServer.Deadline);
        Assert.Equal(1, hub.LogEndProbes);
        Assert.Equal(1, grain.SnapshotCalls);
        Assert.Equal(LiveWake.None, upToDate.TakeWakes());
        foreach (var membership in joined)
        {
            await membership.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_failed_probe_renews_the_delivery_until_the_execution_answers_then_every_connection_rereads()
    {
        var (hub, source, grain) = FakeNode.Create();
        var connection = Buffer();
        await using var joined = await hub.Join("e1", "alice", connection);
        grain.SnapshotFailure = new OrleansException("the silo is gone");
        source.RenewFailures = 2; // not declared dead yet, twice

        hub.Sweep(CatchUp, Heartbeat, Environment.TickCount64 + (long)CatchUp.TotalMilliseconds * 2);

        await Poll.Until(() => Task.FromResult(hub.RecoveredWatches == 1), ApiServer.Deadline);
        Assert.Equal(3, source.Renews("e1"));
        Assert.Equal(LiveWake.Reread, connection.TakeWakes());
    }

    [Fact]
    public async Task Losing_a_silo_renews_every_followed_execution_once()
    {
        var (hub, source, _) = FakeNode.Create();
        await using var a = await hub.Join("e1", "alice", Buffer());
        await using var b = await hub.Join("e2", "alice", Buffer());

        hub.OnSiloLost();

        await Poll.Until(() => Task.FromResult(hub.RecoveredWatches == 2), ApiServer.Deadline);
        Assert.Equal(1, source.Renews("e1"));
        Assert.Equal(1, source.Renews("e2"));
    }

    [Fact]
    public async Task A_connection_whose_client_stopped_reading_is_cut_and_counted_and_the_others_go_on()
    {
        var (hub, source, _) = FakeNode.Create();
        var slow = new LiveBuffer(2, 1_000_000, 0) { WaitingOnClient = true };
        var behind = new LiveBuffer(2, 1_000_000, 0); // full too, but its writer is not waiting on its client
        var fine = Buffer();
        await using var a = await hub.Join("e1", "alice", slow);
        await using var b = await hub.Join("e1", "alice", behind);
        await using var c = await hub.Join("e1", "alice", fine);

        await source.Deliver("e1", Event(1), Event(2), Event(3));

        Assert.True(slow.Overflowed);
        Assert.Equal(1, hub.SlowConsumersDisconnected);
        Assert.False(behind.IsClosed);
        Assert.Equal(LiveWake.Reread, behind.TakeWakes());
        Assert.False(fine.IsClosed);
    }

    [Fact]
    public async Task A_stopping_node_ends_every_stream_and_any_that_opens_afterwards()
    {
        var (hub, _, _) = FakeNode.Create();
        var open = Buffer();
        await using var a = await hub.Join("e1", "alice", open);

        hub.EndAllStreams();
        var late = Buffer();
        await using var b = await hub.Join("e2", "alice", late);

        Assert.True(open.IsClosed);
        Assert.True(late.IsClosed);
        Assert.Null(hub.TryJoinFollowed("e1", Buffer()));
    }

    private static LiveBuffer Buffer(long delivered = 0) => new(100, 1_000_000, delivered);
}
