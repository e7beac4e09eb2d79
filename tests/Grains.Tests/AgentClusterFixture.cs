using System.Text.Json;
using System.Threading.Channels;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.TestingHost;

namespace Orleans.Agent.Tests;

/// <summary>One in-process Orleans cluster (two silos, so grains and the client are not always co-located) per test collection.</summary>
public sealed class AgentClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        // The tests record what an execution publishes from its first event, before it exists: no subscriber could ask.
        var options = new AgentSiloOptions { StreamPublishing = "Always" };
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddAgentGrains(options, new StorageOptions()));
        builder.ConfigureClient(client => client.AddMemoryStreams(AgentStreams.ProviderName, s => s.ConfigurePartitioning(options.StreamQueueCount)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitUntilStreamsDeliver();
    }

    /// <summary>
    /// The stream queues are handed between the two silos while the second one joins, and a message in a queue that
    /// moves may be delivered late or not at all (memory streams keep no copy to rewind). Tests start once a round of
    /// probe executions, enough to touch every queue, was delivered end to end.
    /// </summary>
    private async Task WaitUntilStreamsDeliver()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!(await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Probe()))).All(delivered => delivered))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The test cluster's streams did not deliver a round of probes within 90 s.");
            }
        }
    }

    private async Task<bool> Probe()
    {
        var id = Guid.NewGuid().ToString("N");
        var recorder = await Record(id);
        var context = JsonSerializer.SerializeToElement(new { workload = new { phases = 1, steps = 1, delayMs = 0, thoughtBytes = 1 } });
        await Client.GetGrain<IExecutionGrain>(id).Start("probe", new ExecutionRequest("probe", context));
        try
        {
            await recorder.UntilTerminal(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (OperationCanceledException)
        {
            await recorder.Handle!.UnsubscribeAsync();
            return false;
        }
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    /// <summary>Subscribes to an execution's stream and collects what it publishes until a terminal event.</summary>
    public async Task<StreamRecorder> Record(string executionId)
    {
        var recorder = new StreamRecorder();
        var stream = Client.GetStreamProvider(AgentStreams.ProviderName)
            .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, executionId));
        recorder.Handle = await stream.SubscribeAsync((evt, _) =>
        {
            recorder.Events.Writer.TryWrite(evt);
            return Task.CompletedTask;
        });
        return recorder;
    }

    public sealed class StreamRecorder
    {
        public Channel<AgentEvent> Events { get; } = Channel.CreateUnbounded<AgentEvent>();

        public StreamSubscriptionHandle<AgentEvent>? Handle { get; set; }

        /// <summary>Everything published up to and including the terminal event, or a timeout failure.</summary>
        public async Task<List<AgentEvent>> UntilTerminal(TimeSpan deadline)
        {
            var events = await Events.Reader.UntilTerminal(deadline);
            await Handle!.UnsubscribeAsync();
            return events;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AgentClusterCollection : ICollectionFixture<AgentClusterFixture>
{
    public const string Name = "agent cluster";
}
