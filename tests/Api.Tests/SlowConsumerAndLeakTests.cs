using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Streaming;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Serialization;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Tests;

public sealed class SlowConsumerFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ApiServer.Start(
        "Development",
        "--Sse:LiveBufferEvents=64",
        "--Sse:LiveBufferBytes=1048576",
        "--Limits:StreamsPerUser=2000");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class SlowConsumerAndLeakTests(SlowConsumerFixture fixture) : IClassFixture<SlowConsumerFixture>
{
    private ApiServer Server => fixture.Server;

    private ExecutionStreamHub Hub => Server.Services.GetRequiredService<ExecutionStreamHub>();

    [Fact]
    public async Task A_client_that_stops_reading_is_cut_off_resumes_and_ends_with_the_exact_log_while_others_are_unaffected()
    {
        using var alice = await Server.SignIn("alice");
        // 600 thoughts of 20 KB (12 MB at about 4 MB/s): far more than the socket buffers and the 1 MB live buffer
        // hold, at a pace a reading client keeps up with even on a busy machine.
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 600, 5, 20_000));
        var cutOffBefore = Hub.SlowConsumersDisconnected;

        using var stalled = await alice.GetAsync(streamUrl, HttpCompletionOption.ResponseHeadersRead);
        var reading = alice.ReadStream(streamUrl); // a well-behaved client on the same execution and node
        var others = await reading;
        await ApiTestHelpers.Eventually(() => Hub.SlowConsumersDisconnected > cutOffBefore);
        // Cut off while it still was not reading: the server does not wait for the client to drain first.
        await ApiTestHelpers.Eventually(() => Server.Services.GetRequiredService<ExecutionStreamHub>().SubscribedExecutions == 0);

        // The stalled client now reads what reached it before the cut, then resumes from its last id.
        var received = new List<SseItem<string>>();
        try
        {
            await using var body = await stalled.Content.ReadAsStreamAsync();
            await foreach (var item in SseParser.Create(body).EnumerateAsync())
            {
                received.Add(item);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The server aborted the connection: that is the cut-off.
        }

        var lastId = received.Count > 0 ? received[^1].EventId : null;
        var rest = await alice.ReadStream(streamUrl, lastId);
        var all = received.Select(i => i.EventId).Concat(rest.Select(f => f.Id)).ToList();

        Assert.NotEqual(AgentEventTypes.ExecutionComplete, received.LastOrDefault().EventType);
        Assert.Equal(others.Select(f => f.Id), all);
        Assert.Equal(3 + 2 + 3 * 600, others.Count);
        Assert.Equal(AgentEventTypes.ExecutionComplete, rest[^1].Type);
    }

    [Fact]
    public async Task A_thousand_connections_dropped_mid_stream_leave_no_subscription_or_buffer_behind()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1000, 20, 10));
        // Push delivery: the node hosts no stream provider unless it streams, and then no subscription may be left either.
        var stream = Server.Services.GetRequiredService<IClusterClient>().ServiceProvider.GetKeyedService<IStreamProvider>(AgentStreams.ProviderName)
            ?.GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, id));

        var cutByServer = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (_, _) =>
        {
            try
            {
                var frames = await alice.ReadStream(streamUrl, maxFrames: 2); // connect, read a little, hang up
                Assert.Equal(2, frames.Count);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // On a starved CPU this client reads too slowly for the 64-event buffer and is cut off first: dropped
                // mid-stream from the other end, which must leave nothing behind either.
                Interlocked.Increment(ref cutByServer);
            }
        });

        await ApiTestHelpers.Eventually(async () => Hub.SubscribedExecutions == 0 && (stream is null || (await stream.GetAllSubscriptionHandles()).Count == 0)
            && Server.Services.GetRequiredService<StreamAdmission>().Open == 0);
        Assert.True(cutByServer < 1000, "every connection was cut before it read two frames");
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
    }
}
