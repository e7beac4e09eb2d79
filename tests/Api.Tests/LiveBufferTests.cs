using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

/// <summary>The connection's mailbox on its own: what ends a wait, and the bounds.</summary>
public sealed class LiveBufferTests
{
    [Fact]
    public async Task A_wait_ends_on_an_event_a_wake_up_or_close_and_not_before()
    {
        var buffer = new LiveBuffer(10, 1_000_000, deliveredSequence: 0);

        var waiting = buffer.WaitAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        buffer.Offer(Event(1));
        await waiting.WaitAsync(ApiServer.Deadline);
        Assert.Equal(1, Assert.Single(buffer.TakeAll()!).Sequence);

        waiting = buffer.WaitAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        buffer.Wake(LiveWake.Heartbeat);
        buffer.Wake(LiveWake.CatchUp);
        await waiting.WaitAsync(ApiServer.Deadline);
        Assert.Equal(LiveWake.Heartbeat | LiveWake.CatchUp, buffer.TakeWakes());
        Assert.Equal(LiveWake.None, buffer.TakeWakes());

        waiting = buffer.WaitAsync().AsTask();
        Assert.False(waiting.IsCompleted);
        buffer.Close();
        await waiting.WaitAsync(ApiServer.Deadline);
        Assert.True(buffer.IsClosed);
        Assert.True(buffer.WaitAsync().AsTask().IsCompleted); // closed: never waits again
    }

    [Fact]
    public void Overflowing_either_bound_closes_the_buffer_once_and_calls_the_cut_off()
    {
        // Both writers wait on clients that stopped reading.
        var byCount = new LiveBuffer(2, 1_000_000, deliveredSequence: 0) { WaitingOnClient = true };
        var cutOffs = 0;
        byCount.OnOverflow(_ => cutOffs++, byCount);
        byCount.Offer(Event(1));
        byCount.Offer(Event(2));
        Assert.False(byCount.Overflowed);
        byCount.Offer(Event(3));
        byCount.Offer(Event(4));

        var byBytes = new LiveBuffer(100, 1, deliveredSequence: 0) { WaitingOnClient = true };
        byBytes.Offer(Event(1));

        Assert.True(byCount.Overflowed && byCount.IsClosed && byBytes.Overflowed);
        Assert.Equal(1, cutOffs);
        Assert.Null(byCount.TakeAll());
    }

    [Fact]
    public void Filling_up_while_the_writer_is_not_waiting_on_its_client_drops_to_the_log_instead_of_cutting_it_off()
    {
        // The node fell behind (the connection has not written yet, or the CPU is starved), not the client.
        var buffer = new LiveBuffer(2, 1_000_000, deliveredSequence: 0);
        var cutOffs = 0;
        buffer.OnOverflow(_ => cutOffs++, buffer);

        buffer.Offer(Event(1));
        buffer.Offer(Event(2));
        buffer.Offer(Event(3));
        buffer.Offer(Event(4)); // queued again after the drop; the log fills 1-3

        Assert.False(buffer.IsClosed || buffer.Overflowed);
        Assert.Equal((0, 1), (cutOffs, buffer.Dropped));
        Assert.Equal(LiveWake.Reread, buffer.TakeWakes());
        Assert.Equal(4, Assert.Single(buffer.TakeAll()!).Sequence);
    }

    [Fact]
    public void The_sweep_reads_what_the_connection_delivered_and_when()
    {
        var buffer = new LiveBuffer(10, 1_000_000, deliveredSequence: 7);
        var before = Environment.TickCount64;

        buffer.DeliveredUpTo(9);
        buffer.MovedTo(12);

        Assert.Equal(12, buffer.Delivered);
        Assert.InRange(buffer.LastEventAt, before, Environment.TickCount64);
        Assert.Equal(buffer.LastEventAt, buffer.LastWriteAt);
    }

    private static SerializedEvent Event(long sequence) =>
        SerializedEvent.From(new AgentEvent("exec", sequence, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData("x", 1)));
}
