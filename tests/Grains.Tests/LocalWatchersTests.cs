using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Executions;

namespace Orleans.Agent.Tests;

/// <summary>The push path: a watcher registered in-process on the grain's silo gets its batches by a method call.</summary>
[Collection(AgentClusterCollection.Name)]
public sealed class LocalWatchersTests(AgentClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Three events, then an hour before the first step: running for as long as a test needs.</summary>
    private static readonly ExecutionRequest Parked =
        new("synthetic", JsonSerializer.SerializeToElement(new { workload = new { phases = 1, steps = 3, delayMs = 3_600_000, thoughtBytes = 5 } }));

    [Fact]
    public async Task A_watcher_registered_in_process_gets_every_batch_by_call_and_its_reference_gets_none()
    {
        var messaged = new WatcherRecorder();
        var called = new WatcherRecorder();
        var reference = fixture.Client.CreateObjectReference<IExecutionWatcher>(messaged);
        var registries = fixture.Cluster.Silos.Select(s => s.ServiceProvider.GetRequiredService<LocalWatchers>()).ToList();
        registries.ForEach(r => r.Add(reference, called)); // whichever silo the grain lands on
        try
        {
            var grain = fixture.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
            // Every batch made durable after the watch is pushed. The run waits an hour before its first step, so it is
            // still running when the watch arrives, whatever the machine's load; the cancel then ends it with a push.
            await grain.Start("alice", Parked);
            Assert.NotNull(await grain.Watch("alice", reference));
            await grain.Cancel("alice", "the test has watched");

            var pushed = await called.UntilTerminal(Deadline);
            var logged = await grain.ReadAll("alice");

            Assert.Equal(logged.Where(e => e.Sequence >= pushed[0].Sequence).Select(e => e.Sequence), pushed.Select(e => e.Sequence));
            Assert.True(messaged.Events.Reader.Count == 0, "the reference's own object got a message although an in-process target was registered");
        }
        finally
        {
            registries.ForEach(r => r.Remove(reference));
            fixture.Client.DeleteObjectReference<IExecutionWatcher>(reference);
        }
    }

    [Fact]
    public async Task Without_an_in_process_target_the_watcher_gets_messages()
    {
        var messaged = new WatcherRecorder();
        var reference = fixture.Client.CreateObjectReference<IExecutionWatcher>(messaged);
        try
        {
            var grain = fixture.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
            await grain.Start("alice", Parked);
            Assert.NotNull(await grain.Watch("alice", reference));
            await grain.Cancel("alice", "the test has watched");

            var pushed = await messaged.UntilTerminal(Deadline);

            Assert.Equal(AgentEventTypes.ExecutionCancelled, pushed[^1].Type);
        }
        finally
        {
            fixture.Client.DeleteObjectReference<IExecutionWatcher>(reference);
        }
    }
}
