using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// The store fails under a whole cluster (processes: silos and an API node on one redis-server, which also holds the
/// membership table, the reminders and the grain directory, or on one Azurite): the executions and their clients ride
/// through it.
/// </summary>
public sealed class ClusterStoreFaultTests(ITestOutputHelper output)
{
    private const int Executions = 8;
    private const int Phases = 2;
    private const int Steps = 15;
    private const int EventsPerExecution = 3 + Phases * (2 + 3 * Steps);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(150);

    // An Azure Storage account does not come back empty (it replicates before it answers): only Redis is restarted empty.
    [Theory]
    [InlineData("restarted empty after 3 s", DurableStore.Redis)]
    [InlineData("paused for 10 s", DurableStore.Redis)]
    [InlineData("paused for 10 s", DurableStore.AzureStorage)]
    public async Task A_cluster_whose_store_fails_carries_every_execution_to_its_end_and_serves_new_work(string fault, string store)
    {
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 2, ApiNodes: 1) { Store = store });
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        var ids = await ClusterRuns.Start(api, Executions, Phases, Steps, delayMs: 100);
        var followers = ids.Select(id => SseFollower.Follow(id, [api], Deadline)).ToList();
        await ClusterRuns.UntilEachHas(api, ids, 10, Deadline);

        var clock = Stopwatch.StartNew();
        if (fault.StartsWith("restarted", StringComparison.Ordinal))
        {
            await cluster.Redis.Kill();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await cluster.Redis.Restart();
        }
        else
        {
            await cluster.PauseStore();
            await Task.Delay(TimeSpan.FromSeconds(10));
            await cluster.ResumeStore();
        }

        var results = await Task.WhenAll(followers).WaitAsync(Deadline);

        var expected = Enumerable.Range(1, EventsPerExecution).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.All(results, r => Assert.Equal(expected, r.Ids));
        Assert.All(results, r => Assert.Equal("execution:complete", r.Frames[^1].Type));
        var ended = clock.Elapsed;

        // The cluster serves new work again (its membership table, reminders and directory were in the lost data too).
        string? after = null;
        await Poll.Until(async () =>
        {
            var response = await api.PostAsJsonAsync("/api/agent/execute",
                new { task = "after", context = new { workload = new { phases = 1, steps = 2, delayMs = 0, thoughtBytes = 10 } } });
            after = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString() : null;
            return after is not null;
        }, Deadline);
        Assert.Equal("execution:complete", (await SseFollower.Follow(after!, [api], Deadline)).Frames[^1].Type);

        var stalls = results.Select(r => r.LongestStallMs).Order().ToArray();
        output.WriteLine(
            $"{Executions} executions, 1 client each; the cluster's {(store == DurableStore.Redis ? "redis-server" : "Azurite")} {fault}. All complete " +
            $"{ended.TotalSeconds:F1} s after the fault began, a new one served {clock.Elapsed.TotalSeconds:F1} s after it; longest gap a client saw: median {stalls[stalls.Length / 2]} ms, max {stalls[^1]} ms.");
    }
}
