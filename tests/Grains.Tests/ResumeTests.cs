using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orleans.Agent.Tests;

/// <summary>Two silos on a real durable store (state, log, reminders), for executions that lose their activation.</summary>
public abstract class DurableClusterFixture(string kind) : IAsyncLifetime
{
    private DurableStore _store = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _store = await DurableStore.Start(kind);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(_store.Configuration!).Build();
        var storage = configuration.GetValidated<StorageOptions>(StorageOptions.Section);
        var options = new AgentSiloOptions();
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo.AddAgentGrains(options, storage));
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(_store.Configuration!));
        builder.ConfigureClient(client => client.AddMemoryStreams(AgentStreams.ProviderName, s => s.ConfigurePartitioning(options.StreamQueueCount)));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _store.DisposeAsync();
    }
}

public sealed class RedisClusterFixture() : DurableClusterFixture(DurableStore.Redis);

public sealed class AzureClusterFixture() : DurableClusterFixture(DurableStore.AzureStorage);

public sealed class RedisResumeTests(RedisClusterFixture fixture) : ResumeContract(fixture), IClassFixture<RedisClusterFixture>;

public sealed class AzureResumeTests(AzureClusterFixture fixture) : ResumeContract(fixture), IClassFixture<AzureClusterFixture>;

/// <summary>Executions survive the loss of their activation, on every durable store.</summary>
public abstract class ResumeContract(DurableClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_workload_handed_on_mid_run_resumes_after_its_last_durable_step_and_nothing_runs_twice()
    {
        var grain = fixture.Cluster.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        var workload = JsonSerializer.SerializeToElement(new { workload = new { phases = 2, steps = 20, delayMs = 20, thoughtBytes = 10 } });
        await grain.Start("alice", new ExecutionRequest("synthetic", workload));
        await Poll.Until(async () => (await grain.GetSnapshot("alice"))!.LastSequence >= 15, Deadline);

        await fixture.Cluster.DeactivateAsync(grain); // the activation goes away mid-run, as on a silo shutdown
        await Poll.Until(
            async () => (await grain.GetSnapshot("alice"))!.Status == ExecutionStatus.Completed, Deadline, async () => $"{await grain.GetSnapshot("alice")}"); // the call reactivates it

        var log = await grain.ReadAll("alice");
        Assert.Equal(Enumerable.Range(1, 3 + 2 * (2 + 3 * 20)).Select(i => (long)i), log.Select(e => e.Sequence));
        Assert.Single(log, e => e.Type == AgentEventTypes.ExecutionStarted);
        Assert.Single(log, e => e.Type == AgentEventTypes.PlanCreated);
        var starts = log.Select(e => e.Data).OfType<ToolStartData>().Select(t => t.CallId).ToList();
        var completes = log.Select(e => e.Data).OfType<ToolCompleteData>().Select(t => t.CallId).ToList();
        Assert.Equal(starts.Distinct(), starts);
        Assert.Equal(starts, completes);
        Assert.Equal(40, starts.Count);
    }

    [Fact]
    public async Task The_resume_reminder_lives_exactly_as_long_as_the_run()
    {
        var grain = fixture.Cluster.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        var quiet = JsonSerializer.SerializeToElement(new { workload = new { phases = 1, steps = 1, delayMs = 60_000, thoughtBytes = 1 } });

        await grain.Start("alice", new ExecutionRequest("synthetic", quiet));
        var whileRunning = await ReminderRows(grain);
        var cancelled = await grain.Cancel("alice", null); // returns once the terminal event is durable and the run finished

        Assert.Equal("resume", Assert.Single(whileRunning).ReminderName);
        Assert.Equal(ExecutionStatus.Cancelled, cancelled!.Status);
        Assert.Empty(await ReminderRows(grain));
    }

    [Fact]
    public async Task A_reminder_left_behind_by_a_finished_execution_removes_itself_at_its_next_tick()
    {
        var grain = fixture.Cluster.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        var quick = JsonSerializer.SerializeToElement(new { workload = new { phases = 1, steps = 1, delayMs = 0, thoughtBytes = 1 } });
        await grain.Start("alice", new ExecutionRequest("synthetic", quick));
        await Poll.Until(async () => (await grain.GetSnapshot("alice"))!.Status == ExecutionStatus.Completed, Deadline);
        Assert.Empty(await ReminderRows(grain));

        // As if the silo had died after the terminal event was durable but before the reminder was unregistered.
        await Reminders.UpsertRow(new ReminderEntry
        {
            GrainId = grain.GetGrainId(),
            ReminderName = "resume",
            StartAt = DateTime.UtcNow,
            Period = TimeSpan.FromMinutes(1),
        });
        Assert.Single(await ReminderRows(grain));
        var now = DateTime.UtcNow;
        await fixture.Cluster.Client.GetGrain<IRemindable>(grain.GetGrainId()).ReceiveReminder("resume", new TickStatus(now, TimeSpan.FromMinutes(1), now));

        Assert.Empty(await ReminderRows(grain));
        Assert.Equal(ExecutionStatus.Completed, (await grain.GetSnapshot("alice"))!.Status);
    }

    private IReminderTable Reminders => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>();

    private async Task<IList<ReminderEntry>> ReminderRows(IExecutionGrain grain) =>
        (await Reminders.ReadRows(grain.GetGrainId())).Reminders;
}
