using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Runtime;

namespace Orleans.Agent.Tests;

[Collection(ApiCollection.Name)]
public sealed class StreamEndpointTests(ApiFixture fixture)
{
    private ApiServer Server => fixture.Server;

    [Fact]
    public async Task A_builtin_task_streams_every_step_in_order_and_ends_with_complete()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });

        var frames = await alice.ReadStream(streamUrl);

        const string started = AgentEventTypes.ExecutionStarted, plan = AgentEventTypes.PlanCreated, think = AgentEventTypes.Thinking,
            phase = AgentEventTypes.PhaseStart, phaseDone = AgentEventTypes.PhaseComplete, tool = AgentEventTypes.ToolStart,
            toolDone = AgentEventTypes.ToolComplete, done = AgentEventTypes.ExecutionComplete;
        string[] expected =
        [
            started, plan, think,
            phase, think, think, tool, toolDone, think, phaseDone,
            phase, think, tool, toolDone, tool, toolDone, think, phaseDone,
            phase, think, tool, toolDone, think, phaseDone,
            done,
        ];
        Assert.Equal(expected, frames.Select(f => f.Type));
        Assert.Equal(Ids(1, expected.Length), frames.Select(f => f.Id));
        Assert.All(frames, f =>
        {
            Assert.Equal(f.Id, f.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(f.Type, f.Event.Type);
            Assert.Equal(id, f.Event.ExecutionId);
        });
        Assert.Equal(expected.Distinct().Count(), frames.Select(f => f.Event.Data.GetType()).Distinct().Count());
    }

    [Fact]
    public async Task With_inline_socket_scheduling_a_run_streams_whole_to_every_client()
    {
        Assert.False(Server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        await using var server = await ApiServer.Start("Development", "--Sockets:InlineScheduling=true");
        Assert.True(server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        using var alice = await server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 5, 200));

        var streams = await Task.WhenAll(alice.ReadStream(streamUrl), alice.ReadStream(streamUrl), alice.ReadStream(streamUrl));

        Assert.All(streams, frames => Assert.Equal(Ids(1, 99), frames.Select(f => f.Id)));
    }

    [Fact]
    public async Task Kestrel_listens_with_the_configured_backlog_and_a_start_with_a_nonsense_one_fails()
    {
        Assert.Equal(4096, Server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
        await using (var server = await ApiServer.Start("Development", "--Sockets:Backlog=1000"))
        {
            Assert.Equal(1000, server.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.Backlog);
        }

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.Start("Development", "--Sockets:Backlog=0"));
        Assert.Contains("Backlog", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reference_workload_streams_exactly_99_events_with_ids_1_to_99()
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 20, 200));

        var frames = await alice.ReadStream(streamUrl);

        Assert.Equal(Ids(1, 99), frames.Select(f => f.Id));
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.All(frames.Select(f => f.Event.Data).OfType<ThinkingData>(), t => Assert.Equal(200, t.Thought.Length));
    }

    [Fact]
    public async Task A_client_connecting_after_completion_still_gets_every_event()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 0, 200));
        await alice.WaitForStatus(id, s => s == "completed");

        var frames = await alice.ReadStream(streamUrl);

        Assert.Equal(Ids(1, 99), frames.Select(f => f.Id));
    }

    [Fact]
    public async Task Resuming_with_last_event_id_40_gets_41_to_99_only()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 20, 200));
        await alice.WaitForStatus(id, s => s == "completed"); // a cursor ahead of the log would be reset

        var byHeader = await alice.ReadStream(streamUrl, lastEventId: "40");
        var byQuery = await alice.ReadStream(streamUrl + "?lastEventId=40");
        var headerWins = await alice.ReadStream(streamUrl + "?lastEventId=10", lastEventId: "90");

        Assert.Equal(Ids(41, 59), byHeader.Select(f => f.Id));
        Assert.Equal(Ids(41, 59), byQuery.Select(f => f.Id));
        Assert.Equal(Ids(91, 9), headerWins.Select(f => f.Id));
    }

    [Fact]
    public async Task Resuming_after_the_terminal_event_ends_at_once_with_nothing()
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var all = await alice.ReadStream(streamUrl);

        var after = await alice.ReadStream(streamUrl, lastEventId: all[^1].Id);

        Assert.Empty(after);
    }

    [Fact]
    public async Task A_cursor_at_the_terminal_event_gets_204_so_that_an_event_source_stops()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        await alice.WaitForStatus(id, s => s == "completed");
        var last = (await alice.ReadStream(streamUrl))[^1].Id;

        using var request = new HttpRequestMessage(HttpMethod.Get, streamUrl);
        request.Headers.Add("Last-Event-ID", last);
        using var response = await alice.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_filtered_stream_ends_with_the_terminal_id_so_that_the_reconnect_gets_204()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 2, 0, 1));
        await alice.WaitForStatus(id, s => s == "completed");

        var body = await alice.GetStringAsync(streamUrl + "?types=thinking");

        // 11 events; the terminal one is filtered out, but its id is the last line the client reads.
        Assert.EndsWith("\n\nid: 11\n\n", body, StringComparison.Ordinal);
        Assert.DoesNotContain("execution:complete", body, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, streamUrl + "?types=thinking");
        request.Headers.Add("Last-Event-ID", "11");
        using var response = await alice.SendAsync(request);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task Two_clients_on_one_execution_get_identical_sequences()
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 20, 200));

        var both = await Task.WhenAll(alice.ReadStream(streamUrl), alice.ReadStream(streamUrl));

        Assert.Equal(Ids(1, 99), both[0].Select(f => f.Id));
        Assert.Equal(both[0].Select(f => (f.Id, f.Type, f.Event.Timestamp)), both[1].Select(f => (f.Id, f.Type, f.Event.Timestamp)));
    }

    [Fact]
    public async Task Cancel_ends_the_stream_with_one_cancelled_event_and_nothing_after()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 10_000, 10, 10));
        var reading = alice.ReadStream(streamUrl);
        await alice.WaitForStatus(id, s => s == "running");

        var cancel = await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var frames = await reading;

        Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        Assert.Single(frames, f => f.Event.IsTerminal);
        Assert.Equal(Ids(1, frames.Count), frames.Select(f => f.Id));
        Assert.Equal("cancelled", (await alice.Snapshot(id)).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("Push")]
    [InlineData("Stream")]
    public async Task Each_live_source_delivers_the_run_by_itself(string source)
    {
        // The log is re-read only after ten minutes of silence, so within the deadline every event after the
        // connection's first log reads can only have come through the live source under test.
        await using var server = await ApiServer.Start("Development", $"--Sse:LiveSource={source}", "--Sse:CatchUpInterval=00:10:00");
        using var alice = await server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(2, 10, 20, 10));

        var frames = await alice.ReadStream(streamUrl);

        Assert.Equal(Ids(1, 3 + 2 * (2 + 3 * 10)), frames.Select(f => f.Id));
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
    }

    [Fact]
    public async Task Live_duplicates_and_gaps_are_resolved_from_the_log_so_clients_see_only_the_log()
    {
        // The Orleans stream as the live source, so that the test can forge events on it; the push path feeds the
        // same de-duplication.
        await using var server = await ApiServer.Start("Development", "--Sse:LiveSource=Stream");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 20, 50, 10));
        var firstFrame = new TaskCompletionSource();
        var reading = alice.ReadStream(streamUrl, onFrame: _ => firstFrame.TrySetResult());
        await firstFrame.Task.WaitAsync(ApiServer.Deadline); // the feed subscribes before it writes its first frame
        var stream = server.Services.GetRequiredService<IClusterClient>().GetStreamProvider(AgentStreams.ProviderName)
            .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, id));

        // Forged events on the fast path: a repeat of sequence 1 and one far ahead of the log (a "gap").
        var forged = new ThinkingData("FORGED", 0);
        await stream.OnNextAsync(new AgentEvent(id, 1, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, forged));
        await stream.OnNextAsync(new AgentEvent(id, 50, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, forged));
        var frames = await reading;

        Assert.Equal(Ids(1, 3 + 2 + 3 * 20), frames.Select(f => f.Id));
        Assert.DoesNotContain(frames, f => f.Event.Data is ThinkingData { Thought: "FORGED" });
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
    }

    [Fact]
    public async Task A_client_disconnecting_never_cancels_the_execution()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 10, 30, 10));
        using (var response = await alice.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            await body.ReadExactlyAsync(new byte[16]); // connected and streaming; then the client goes away
        }

        var snapshot = await alice.WaitForStatus(id, s => s is "completed" or "failed" or "cancelled");

        Assert.Equal("completed", snapshot.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_type_filter_delivers_only_those_types_with_their_real_ids_and_resumes()
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(2, 5, 5, 10));
        var filtered = streamUrl + "?types=thinking,tool:complete";

        var firstPart = await alice.ReadStream(filtered, maxFrames: 4);
        var rest = await alice.ReadStream(filtered, lastEventId: firstPart[^1].Id);
        var frames = firstPart.Concat(rest).ToList();

        // The workload's layout: 1 started, 2 plan; per phase a start, 5 x (thinking, tool:start, tool:complete), a complete.
        var expected = new[] { 0, 17 }.SelectMany(phase => Enumerable.Range(0, 5)
            .SelectMany(step => new[] { 4 + phase + 3 * step, 6 + phase + 3 * step }))
            .Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, frames.Select(f => f.Id));
        Assert.Equal(frames.Select(f => f.Type), frames.Select((_, i) => i % 2 == 0 ? AgentEventTypes.Thinking : AgentEventTypes.ToolComplete));
        Assert.All(frames, f => Assert.Equal(f.Id, f.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(20, frames.Count);
    }

    [Theory]
    [InlineData("thinking,tool:finish")]
    [InlineData("")]
    [InlineData(",")]
    public async Task An_unknown_or_empty_type_filter_is_a_400_problem(string types)
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));

        await (await alice.GetAsync($"{streamUrl}?types={Uri.EscapeDataString(types)}")).AssertProblem(400);
    }

    private static IEnumerable<string> Ids(int from, int count) =>
        Enumerable.Range(from, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
