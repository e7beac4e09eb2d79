using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// Real processes, real kill -9: executions and their clients ride through a silo crash and an API-node crash, on a
/// cluster locked as deployed (mutual TLS between its members, Redis with an ACL user and over TLS).
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Executions = 50;
    private const int Phases = 3;
    private const int Steps = 8;
    private const int EventsPerExecution = 3 + Phases * (2 + 3 * Steps);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    // Locked as deployed: mutual TLS in the cluster, and on Redis its ACL and TLS (Azurite serves plain HTTP).
    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task Executions_and_clients_survive_kill_9_of_a_silo_and_of_an_api_node(string store)
    {
        using var locks = await ClusterLocks.Make(redisTls: store == DurableStore.Redis);
        await using var cluster = await ClusterProcesses.Start(new ClusterSetup(Silos: 2, ApiNodes: 2)
        {
            Store = store,
            Locks = locks,
            ApiSettings = ["--Sse:CatchUpInterval=00:00:01"],
        });
        var nodes = cluster.ApiNodes.Select(n => n.Url).ToArray();
        using var api1 = await ClusterProcesses.SignIn(nodes[0], "alice");
        using var api2 = await ClusterProcesses.SignIn(nodes[1], "alice");

        // Cancel through the other API node reaches the execution wherever it runs.
        var cancelId = await Start(api1, Workload(1, 1000, 50));
        var cancel = await api2.PostAsync($"/api/agent/executions/{cancelId}/cancel", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, cancel.StatusCode);

        var ids = new List<string>();
        for (var i = 0; i < Executions; i++)
        {
            ids.Add(await Start(i % 2 == 0 ? api1 : api2, Workload(Phases, Steps, 150)));
        }

        // Two clients per execution, one starting on each node; each fails over to the other node when its own dies.
        var followers = ids.SelectMany(id => new[] { SseFollower.Follow(id, [api1, api2], Deadline), SseFollower.Follow(id, [api2, api1], Deadline) }).ToList();
        await Task.Delay(1500);
        var clock = Stopwatch.StartNew();
        ClusterProcesses.Kill(cluster.Silos[0]);
        await Task.Delay(2000);
        ClusterProcesses.Kill(cluster.ApiNodes[0].Process);
        var results = await Task.WhenAll(followers).WaitAsync(Deadline);
        clock.Stop();

        var expected = Enumerable.Range(1, EventsPerExecution).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        Assert.All(results, r => Assert.Equal(expected, r.Ids));
        foreach (var id in ids)
        {
            var log = await ReadLog(api2, id);
            Assert.Equal(AgentEventTypes.ExecutionComplete, log[^1].Type);
            var starts = log.Select(e => e.Data).OfType<ToolStartData>().Select(t => t.CallId).ToList();
            Assert.Equal(starts.Distinct(), starts); // no tool call ran twice
            Assert.Equal(starts, log.Select(e => e.Data).OfType<ToolCompleteData>().Select(t => t.CallId));
        }

        var cancelled = await ReadLog(api2, cancelId);
        Assert.Equal(AgentEventTypes.ExecutionCancelled, cancelled[^1].Type);

        var stalls = results.Select(r => r.LongestStallMs).Order().ToArray();
        output.WriteLine(
            $"{Executions} executions x 2 clients, {EventsPerExecution} events each; silo killed, then an API node 2 s later. " +
            $"All complete {clock.Elapsed.TotalSeconds:F1} s after the silo kill. Longest gap between two events seen by a client: " +
            $"median {stalls[stalls.Length / 2]} ms, p90 {stalls[stalls.Length * 9 / 10]} ms, max {stalls[^1]} ms; " +
            $"reconnects: {results.Sum(r => r.Reconnects)}.");
    }

    private static object Workload(int phases, int steps, int delayMs) =>
        new { task = "chaos", context = new { workload = new { phases, steps, delayMs, thoughtBytes = 20 } } };

    private static async Task<string> Start(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/agent/execute", body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString()!;
    }

    private static async Task<List<AgentEvent>> ReadLog(HttpClient client, string executionId)
    {
        var events = new List<AgentEvent>();
        using var response = await client.GetAsync($"/api/agent/stream/{executionId}", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            events.Add(JsonSerializer.Deserialize<AgentEvent>(item.Data, AgentJson.Options)!);
        }

        return events;
    }
}
