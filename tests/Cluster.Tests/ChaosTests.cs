using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>Real processes, real kill -9: executions and their clients ride through a silo crash and an API-node crash.</summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Executions = 50;
    private const int Phases = 3;
    private const int Steps = 8;
    private const int EventsPerExecution = 3 + Phases * (2 + 3 * Steps);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Executions_and_clients_survive_kill_9_of_a_silo_and_of_an_api_node()
    {
        await using var cluster = await ClusterProcesses.Start(silos: 2, apiNodes: 2);
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
        var followers = ids.SelectMany(id => new[] { Follow(id, [api1, api2]), Follow(id, [api2, api1]) }).ToList();
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

    private sealed record FollowResult(List<string> Ids, long LongestStallMs, int Reconnects);

    /// <summary>A resilient SSE client: resumes with Last-Event-ID, and moves to the next node when one is unreachable.</summary>
    private static async Task<FollowResult> Follow(string executionId, HttpClient[] nodes)
    {
        var ids = new List<string>();
        var node = 0;
        var reconnects = -1;
        var lastEvent = Stopwatch.StartNew();
        long longestStall = 0;
        var deadline = DateTime.UtcNow + Deadline;
        while (DateTime.UtcNow < deadline)
        {
            reconnects++;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/agent/stream/{executionId}");
                if (ids.Count > 0)
                {
                    request.Headers.Add("Last-Event-ID", ids[^1]);
                }

                using var response = await nodes[node].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(200); // 503 while a silo fails over
                    continue;
                }

                await using var body = await response.Content.ReadAsStreamAsync();
                await foreach (var item in SseParser.Create(body).EnumerateAsync())
                {
                    Assert.NotEqual("stream:reset", item.EventType);
                    ids.Add(item.EventId!);
                    longestStall = Math.Max(longestStall, lastEvent.ElapsedMilliseconds);
                    lastEvent.Restart();
                    if (AgentEventTypes.IsTerminal(item.EventType))
                    {
                        return new FollowResult(ids, longestStall, reconnects);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                node = (node + 1) % nodes.Length; // this node is gone: go to the next one
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Execution {executionId} did not finish for a client; it got {ids.Count} events.");
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
