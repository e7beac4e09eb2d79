using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using Orleans.Runtime;

namespace Orleans.Agent.Tests;

/// <summary>On Azure Storage (no time-to-live), finished logs are removed by one grain woken by a durable reminder.</summary>
public sealed class LogExpiryTests(AzureClusterFixture fixture) : IClassFixture<AzureClusterFixture>
{
    [Fact]
    public async Task Every_silo_start_leaves_one_durable_reminder_and_a_sweep_removes_the_logs_that_are_due()
    {
        var sweeper = fixture.Cluster.Client.GetGrain<ILogExpiryGrain>(0);
        var reminders = await fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<IReminderTable>().ReadRows(sweeper.GetGrainId());
        var store = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<AzureExecutionLogStore>();
        var due = Guid.NewGuid().ToString("N");
        var kept = Guid.NewGuid().ToString("N");
        foreach (var id in new[] { due, kept })
        {
            await store.PutArtifacts(id, [new ExecutionArtifact(new string('e', 64), [1])]);
            await store.Append(id, [new AgentEvent(id, 1, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData("t", 1))]);
        }

        await store.Retain(due, keepEvents: 0, TimeSpan.FromMilliseconds(1));
        await store.Retain(kept, keepEvents: 0, TimeSpan.FromDays(1));
        await Poll.Until(async () => await sweeper.Sweep() > 0 || (await store.Read(due, 0, 1)).Count == 0, TimeSpan.FromSeconds(10));

        // Two silos asked at start; one reminder exists, with the configured period.
        var reminder = Assert.Single(reminders.Reminders);
        Assert.Equal(TimeSpan.FromMinutes(10), reminder.Period);
        Assert.Empty(await store.Read(due, 0, 10));
        Assert.Null(await store.ReadArtifact(due, new string('e', 64)));
        Assert.Single(await store.Read(kept, 0, 10));
        Assert.NotNull(await store.ReadArtifact(kept, new string('e', 64)));
    }
}
