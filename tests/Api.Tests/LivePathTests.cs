using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

/// <summary>
/// One live path: the grain's push to the nodes watching it. The execution's Orleans stream carries events only when a
/// subscriber asked for them, so by default no execution costs a stream message, a pub-sub rendezvous or a PubSubStore write.
/// </summary>
public sealed class LivePathTests
{
    // Orleans' own grains behind a stream: its queue (memory streams) and its pub-sub rendezvous (and PubSubStore).
    private const string QueueGrain = "IMemoryStreamQueueGrain";
    private const string RendezvousGrain = "IPubSubRendezvousGrain";

    [Fact]
    public async Task With_push_delivery_a_streamed_run_touches_no_stream_queue_and_no_pub_sub()
    {
        var recorder = new GrainCallRecorder();
        await using var server = await StartWith(recorder, "Push");
        using var alice = await server.SignIn("alice");
        await FollowParkedRunToItsCancel(alice);
        Assert.True(recorder.Calls(nameof(IExecutionGrain.Watch)) >= 1);
        Assert.Equal(0, recorder.Calls(nameof(IExecutionGrain.FollowStream)));
        Assert.Equal(0, recorder.CallsTo(QueueGrain));
        Assert.Equal(0, recorder.CallsTo(RendezvousGrain));
    }

    [Fact]
    public async Task With_stream_delivery_the_node_asks_the_grain_to_publish_and_the_stream_carries_the_run()
    {
        var recorder = new GrainCallRecorder();
        // The log is re-read only after ten minutes of silence: the cancel below comes through the stream.
        await using var server = await StartWith(recorder, "Stream", "--Sse:CatchUpInterval=00:10:00");
        using var alice = await server.SignIn("alice");
        await FollowParkedRunToItsCancel(alice);
        Assert.Equal(1, recorder.Calls(nameof(IExecutionGrain.FollowStream)));
        Assert.Equal(0, recorder.Calls(nameof(IExecutionGrain.Watch)));
        Assert.True(recorder.CallsTo(QueueGrain) > 0);
        Assert.True(recorder.CallsTo(RendezvousGrain) > 0);
    }

    [Fact]
    public async Task A_stranger_cannot_make_an_execution_publish()
    {
        await using var server = await ApiServer.Start("Development", "--Sse:LiveSource=Stream");
        using var alice = await server.SignIn("alice");
        var (id, _) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var grain = server.Services.GetRequiredService<IClusterClient>().GetGrain<IExecutionGrain>(id);

        Assert.False(await grain.FollowStream("mallory"));
        Assert.True(await grain.FollowStream("alice"));
    }

    [Fact]
    public async Task A_silo_without_streams_refuses_a_stream_subscriber_with_a_reason()
    {
        await using var server = await ApiServer.Start("Development"); // push: the co-hosted silo runs no stream queues
        using var alice = await server.SignIn("alice");
        var (id, _) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var grain = server.Services.GetRequiredService<IClusterClient>().GetGrain<IExecutionGrain>(id);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.FollowStream("alice"));
        Assert.Contains("Silo:Streams", refused.Message, StringComparison.Ordinal);
    }

    private static Task<ApiServer> StartWith(GrainCallRecorder recorder, string liveSource, params string[] settings) =>
        ApiServer.Start("Development", builder => builder.Services.AddSingleton<IIncomingGrainCallFilter>(recorder),
            [$"--Sse:LiveSource={liveSource}", .. settings]);

    /// <summary>
    /// Starts a run that parks after three events (an hour before its first step) and follows its stream, cancelling it
    /// once the third event arrived: the stream is certainly open (so the node follows it) before the run ends, however
    /// slow the machine; a run that ended first would be read from the log. Checks the four events it saw.
    /// </summary>
    private static async Task FollowParkedRunToItsCancel(HttpClient alice)
    {
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 3_600_000, 10));
        Task? cancel = null;

        var frames = await alice.ReadStream(streamUrl, onFrame: f => cancel ??= f.Event.Sequence == 3 ? alice.PostAsync($"/api/agent/executions/{id}/cancel", null) : null);
        await cancel!;

        Assert.Equal([1L, 2, 3, 4], frames.Select(f => f.Event.Sequence));
        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
    }
}
