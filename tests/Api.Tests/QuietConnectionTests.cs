using System.Net.ServerSentEvents;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

/// <summary>
/// Quiet connections are served by the node's one sweep (no timer per connection): a lost push still arrives within
/// about the catch-up interval, the check of the log's end is shared by an execution's connections, and a node that
/// stops ends its streams.
/// </summary>
public sealed class QuietConnectionTests
{
    /// <summary>Started, plan, phase start: then a quiet execution waits a minute before its first step.</summary>
    private const int EventsBeforeTheWait = 3;

    [Fact]
    public async Task A_quiet_connection_still_receives_an_event_whose_live_push_was_lost()
    {
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder, "--Sse:CatchUpInterval=00:00:01");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var reading = await ReadUntilQuiet(alice, streamUrl);
        var hub = server.Services.GetRequiredService<ExecutionStreamHub>();
        var probesBefore = hub.LogEndProbes;

        recorder.DropPushes = true;
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        // Ten catch-up intervals: the push was lost, so only the sweep's check of the log can deliver it, and it must
        // not take as long as the stream's own silence (the heartbeat interval, 30 s) or the client's deadline.
        var frames = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(recorder.DroppedPushes > 0, "The cancel's push was not dropped; the test proved nothing.");
        Assert.True(hub.LogEndProbes > probesBefore);
        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        Assert.Equal(Enumerable.Range(1, EventsBeforeTheWait + 1).Select(i => (long)i), frames.Select(f => f.Event.Sequence));
    }

    [Fact]
    public async Task Many_quiet_connections_on_one_execution_share_one_log_check_and_do_not_read_the_log()
    {
        const int connections = 40;
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder, "--Sse:CatchUpInterval=00:00:00.200", "--Limits:StreamsPerUser=100");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var caughtUp = 0;
        var allCaughtUp = new TaskCompletionSource();
        var readers = Enumerable.Range(0, connections).Select(_ => alice.ReadStream(streamUrl, onFrame: f =>
        {
            if (f.Event.Sequence == EventsBeforeTheWait && Interlocked.Increment(ref caughtUp) == connections)
            {
                allCaughtUp.TrySetResult();
            }
        })).ToList();
        await allCaughtUp.Task.WaitAsync(ApiServer.Deadline);
        var hub = server.Services.GetRequiredService<ExecutionStreamHub>();
        var (probes, sweeps) = (hub.LogEndProbes, hub.Sweeps);
        var (snapshots, logReads) = (recorder.Calls(nameof(IExecutionGrain.GetSnapshot)), recorder.Calls(nameof(IExecutionGrain.ReadEvents)));

        // Five checks of the log's end, i.e. every connection has been quiet for several catch-up intervals.
        await ApiTestHelpers.Eventually(() => hub.LogEndProbes >= probes + 5);
        var (probesNow, sweepsNow) = (hub.LogEndProbes, hub.Sweeps);
        var (snapshotsNow, logReadsNow) = (recorder.Calls(nameof(IExecutionGrain.GetSnapshot)), recorder.Calls(nameof(IExecutionGrain.ReadEvents)));

        // One check per execution per sweep at most, however many connections: 40 connections asking for themselves
        // would be 40 per interval. And a connection that is not behind the log is not woken, so never reads it.
        Assert.InRange(probesNow - probes, 5, sweepsNow - sweeps);
        Assert.InRange(snapshotsNow - snapshots, probesNow - probes - 1, probesNow - probes + 1);
        Assert.Equal(logReads, logReadsNow);

        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var all = await Task.WhenAll(readers);
        Assert.All(all, frames => Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type));
    }

    [Fact]
    public async Task A_later_connection_to_an_execution_the_node_follows_reads_the_log_once_and_misses_nothing()
    {
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder);
        using var alice = await server.SignIn("alice");
        using var bob = await server.SignIn("bob");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var first = await ReadUntilQuiet(alice, streamUrl);
        // The first connection reads twice: its first page, then once more for whatever was appended before its watch
        // took effect. The second read may come after the client has every event, so wait for it rather than hope.
        await ApiTestHelpers.Eventually(() => recorder.Calls(nameof(IExecutionGrain.ReadEvents)) >= 2);
        var logReads = recorder.Calls(nameof(IExecutionGrain.ReadEvents));
        Assert.Equal(2, logReads);

        // A stranger is refused as before, and leaves the node's subscription as it was.
        (await bob.GetAsync(streamUrl)).Dispose();
        Assert.Equal(1, server.Services.GetRequiredService<ExecutionStreamHub>().SubscribedExecutions);

        var second = await ReadUntilQuiet(alice, streamUrl);
        Assert.Equal(logReads + 2, recorder.Calls(nameof(IExecutionGrain.ReadEvents))); // the stranger's and the second connection's

        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        foreach (var frames in await Task.WhenAll(first, second))
        {
            Assert.Equal(Enumerable.Range(1, frames.Count).Select(n => (long)n), frames.Select(f => f.Event.Sequence));
            Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        }
    }

    [Fact]
    public async Task A_quiet_connection_whose_client_hangs_up_leaves_the_node()
    {
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder);
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));

        // Everything there is, then nothing more for a minute: the connection is waiting when the client goes.
        var frames = await alice.ReadStream(streamUrl, maxFrames: EventsBeforeTheWait);
        await EveryStreamHasLeft(server);

        Assert.Equal(EventsBeforeTheWait, frames.Count);
        Assert.Equal(1, recorder.Calls(nameof(IExecutionGrain.Unwatch))); // the execution still runs: it must stop pushing here
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
    }

    [Fact]
    public async Task A_node_whose_watch_ended_with_the_terminal_push_leaves_without_calling_the_grain()
    {
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder);
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var reading = await ReadUntilQuiet(alice, streamUrl); // waiting on the live path: the node watches the grain

        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var frames = await reading.WaitAsync(ApiServer.Deadline);
        await EveryStreamHasLeft(server);

        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        Assert.Equal(1, recorder.Calls(nameof(IExecutionGrain.Watch)));
        Assert.Equal(0, recorder.Calls(nameof(IExecutionGrain.Unwatch)));
    }

    [Fact]
    public async Task Stopping_the_node_ends_its_quiet_streams_cleanly()
    {
        var server = await ApiServer.Start("Development");
        var stopped = false;
        try
        {
            using var alice = await server.SignIn("alice");
            var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
            using var response = await alice.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead);
            await using var body = await response.Content.ReadAsStreamAsync();
            await using var items = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
            for (var seen = 0; seen < EventsBeforeTheWait; seen++)
            {
                Assert.True(await items.MoveNextAsync());
            }

            var stopping = server.DisposeAsync().AsTask();
            stopped = true;
            // The response ends (no more items, no error) instead of hanging until the host gives up and aborts it.
            Assert.False(await items.MoveNextAsync().AsTask().WaitAsync(ApiServer.Deadline));
            await stopping.WaitAsync(ApiServer.Deadline);
        }
        finally
        {
            if (!stopped)
            {
                await server.DisposeAsync();
            }
        }
    }

    /// <summary>Opens a stream and returns once it has every event before the execution's wait; the task ends with the stream.</summary>
    private static async Task<Task<List<SseReading.Frame>>> ReadUntilQuiet(HttpClient client, string streamUrl)
    {
        var caughtUp = new TaskCompletionSource();
        var reading = client.ReadStream(streamUrl, onFrame: f =>
        {
            if (f.Event.Sequence == EventsBeforeTheWait)
            {
                caughtUp.TrySetResult();
            }
        });
        await caughtUp.Task.WaitAsync(ApiServer.Deadline);
        return reading;
    }

    /// <summary>
    /// Waits until the node follows nothing and every response has ended. A response gives its admission back only
    /// after its feed has left the hub, its unwatch call included, so grain calls can be counted after this.
    /// </summary>
    private static Task EveryStreamHasLeft(ApiServer server)
    {
        var hub = server.Services.GetRequiredService<ExecutionStreamHub>();
        var admission = server.Services.GetRequiredService<StreamAdmission>();
        return ApiTestHelpers.Eventually(() => hub.SubscribedExecutions == 0 && admission.Open == 0);
    }

    private static Task<ApiServer> StartWith(GrainCallRecorder recorder, params string[] settings) =>
        ApiServer.Start("Development", builder =>
        {
            builder.Services.AddSingleton<IIncomingGrainCallFilter>(recorder);
            builder.Services.AddSingleton<IOutgoingGrainCallFilter>(recorder);
        }, ["--Sse:HeartbeatInterval=00:10:00", "--Sse:InProcessPush=false", .. settings]); // pushes as messages, which the filter can lose
}
