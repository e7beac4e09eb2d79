using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// A silo killed at default settings (the API node's and the silos'): which executions stall, and for how long, as the
/// clients feel it. Real processes: redis-server, 2 silos, 1 API node.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Executions = 16;
    private const int Phases = 3;
    private const int Steps = 10;
    private const int EventsPerExecution = 3 + Phases * (2 + 3 * Steps);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_silo_kill_at_default_settings_stalls_the_dead_silos_executions_only_and_every_client_goes_on_gapless(string store)
    {
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 2, ApiNodes: 1) { Store = store });
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        using var orleans = await cluster.ConnectClient();

        var ids = await ClusterRuns.Start(api, Executions, Phases, Steps, delayMs: 150);
        var followers = ids.Select(id => SseFollower.Follow(id, [api], Deadline)).ToList();
        await ClusterRuns.UntilEachHas(api, ids, 10, Deadline);

        // Where each execution runs when the silo dies.
        var management = orleans.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var hosts = (await management.GetDetailedGrainStatistics())
            .Where(s => ids.Contains(s.GrainId.Key.ToString()!))
            .ToDictionary(s => s.GrainId.Key.ToString()!, s => s.SiloAddress.Endpoint.Port);
        Assert.Equal(ids.Count, hosts.Count);
        var deadPort = cluster.SiloPorts[0];
        var clock = Stopwatch.StartNew();
        ClusterProcesses.Kill(cluster.Silos[0]);
        var results = await Task.WhenAll(followers).WaitAsync(Deadline);
        clock.Stop();

        var expected = Enumerable.Range(1, EventsPerExecution).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.All(results, r => Assert.Equal(expected, r.Ids));
        var onDead = ids.Select((id, i) => (id, i)).Where(x => hosts[x.id] == deadPort).Select(x => results[x.i].LongestStallMs).Order().ToArray();
        var onLive = ids.Select((id, i) => (id, i)).Where(x => hosts[x.id] != deadPort).Select(x => results[x.i].LongestStallMs).Order().ToArray();
        Assert.NotEmpty(onDead);
        Assert.NotEmpty(onLive);
        output.WriteLine(
            $"{Executions} executions, 1 client each, 150 ms between steps; silo killed at default settings. All complete " +
            $"{clock.Elapsed.TotalSeconds:F1} s after the kill. Longest gap a client saw: {onDead.Length} executions of the dead silo " +
            $"median {onDead[onDead.Length / 2]} ms, max {onDead[^1]} ms; {onLive.Length} of the live silo median " +
            $"{onLive[onLive.Length / 2]} ms, max {onLive[^1]} ms; reconnects {results.Sum(r => r.Reconnects)}.");
    }
}
