using System.Text.Json;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace Orleans.Agent.Tests;

/// <summary>
/// A finished execution leaves silo memory after <see cref="AgentSiloOptions.ExecutionIdleTime"/>, a running one never
/// does. One silo with the collector sped up (a 2 s idle time, checked every 0.5 s) instead of minutes.
/// </summary>
public sealed class IdleCollectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var options = new AgentSiloOptions { ExecutionIdleTime = TimeSpan.FromSeconds(2) };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) => silo
            .AddAgentGrains(options, new StorageOptions())
            .Configure<GrainCollectionOptions>(o => o.CollectionQuantum = TimeSpan.FromMilliseconds(500)));
        builder.ConfigureClient(client => client.AddMemoryStreams(AgentStreams.ProviderName, s => s.ConfigurePartitioning(options.StreamQueueCount)));
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_finished_execution_is_collected_when_idle_a_quiet_running_one_is_not_and_a_read_brings_the_log_back()
    {
        var client = _cluster.Client;
        var quiet = client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        await quiet.Start("alice", Synthetic(phases: 1, steps: 1, delayMs: 3_600_000)); // started, planned, then an hour's wait
        var finished = client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        await finished.Start("alice", Synthetic(phases: 2, steps: 3, delayMs: 1));
        await Poll.Until(async () => (await finished.GetSnapshot("alice"))!.Status == ExecutionStatus.Completed, Deadline);
        var expected = (await finished.ReadAll("alice")).Select(e => e.Sequence).ToList();
        Assert.True(await IsActive(quiet));

        // No call reaches either grain from here until the finished one is gone.
        await Poll.Until(async () => !await IsActive(finished), Deadline);

        Assert.True(await IsActive(quiet), "A running execution, idle at least as long, was collected too.");
        Assert.Equal(ExecutionStatus.Running, (await quiet.GetSnapshot("alice"))!.Status);
        Assert.Equal(ExecutionStatus.Completed, (await finished.GetSnapshot("alice"))!.Status); // reactivated from the store
        Assert.Equal(expected, (await finished.ReadAll("alice")).Select(e => e.Sequence));
        Assert.Equal(Enumerable.Range(1, 3 + 2 * (2 + 3 * 3)).Select(i => (long)i), expected);
    }

    private async Task<bool> IsActive(IExecutionGrain grain)
    {
        var statistics = await _cluster.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Any(s => s.GrainId == grain.GetGrainId());
    }

    private static ExecutionRequest Synthetic(int phases, int steps, int delayMs) => new(
        "synthetic",
        JsonSerializer.SerializeToElement(new { workload = new { phases, steps, delayMs, thoughtBytes = 10 } }));
}
