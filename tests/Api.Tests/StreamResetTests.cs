using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

/// <summary>Cursors that cannot be served get <c>stream:reset</c>, never a silent gap.</summary>
public sealed class ResetFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    // Finished logs keep only their last 10 events, so older cursors are unservable.
    public async Task InitializeAsync() => Server = await ApiServer.Start("Development", "--Storage:RetainCompletedEvents=10");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class StreamResetTests(ResetFixture fixture) : IClassFixture<ResetFixture>
{
    private ApiServer Server => fixture.Server;

    [Theory]
    [InlineData("5", "retention")]
    [InlineData("500", "ahead")]
    [InlineData("abc", "malformed")]
    [InlineData("-1", "malformed")]
    public async Task An_unservable_cursor_on_a_finished_execution_gets_a_reset_with_the_final_snapshot(string cursor, string reason)
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 0, 10));
        await alice.WaitForStatus(id, s => s == "completed");

        var frames = await alice.ReadStream(streamUrl, lastEventId: cursor);

        var reset = Assert.Single(frames);
        Assert.Equal(("stream:reset", "99"), (reset.Type, reset.Id));
        Assert.Equal(reason, reset.Data.GetProperty("reason").GetString());
        Assert.Equal(cursor, reset.Data.GetProperty("requestedCursor").GetString());
        Assert.Equal("completed", reset.Data.GetProperty("snapshot").GetProperty("status").GetString());
        Assert.Equal(99, reset.Data.GetProperty("snapshot").GetProperty("lastSequence").GetInt64());
    }

    [Fact]
    public async Task A_cursor_within_the_retained_log_is_served_normally()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 0, 10));
        await alice.WaitForStatus(id, s => s == "completed");

        var frames = await alice.ReadStream(streamUrl, lastEventId: "89");

        Assert.Equal(Enumerable.Range(90, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), frames.Select(f => f.Id));
    }

    [Fact]
    public async Task A_reset_on_a_running_execution_is_followed_by_the_events_after_its_snapshot()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 20, 20, 10));
        await alice.WaitForStatus(id, s => s == "running");

        var frames = await alice.ReadStream(streamUrl, lastEventId: "not-a-number");

        Assert.Equal("stream:reset", frames[0].Type);
        var from = long.Parse(frames[0].Id, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range((int)from + 1, frames.Count - 1).Select(i => (long)i), frames.Skip(1).Select(f => f.Event.Sequence));
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
    }
}
