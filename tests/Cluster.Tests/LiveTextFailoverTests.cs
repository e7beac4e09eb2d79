using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;
using Orleans.Runtime;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// Live text across a silo's death: real processes (redis-server, 2 silos, 1 API node), pushes between processes.
/// </summary>
public sealed class LiveTextFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    /// <summary>
    /// A thought being written when its silo is killed never becomes durable: the client watching with deltas is told
    /// to withdraw it (<c>text:reset</c>), then gets the resumed run's text for the same event from offset 0, and the
    /// durable thought is that one. Each piece starts with the time it was written, so two runs' texts differ. A
    /// failover may resume the run more than once (once in CI, a second activation during the membership change
    /// withdrew the next thought too): every withdrawn text must then be replaced the same way.
    /// </summary>
    [Fact]
    public async Task A_text_cut_by_a_silo_kill_is_withdrawn_and_replaced_by_the_resumed_runs()
    {
        await using var cluster = await ClusterProcesses.Start(silos: 2, apiNodes: 1);
        using var api = await ClusterProcesses.SignIn(cluster.ApiNodes[0].Url, "alice");
        using var orleans = await cluster.ConnectClient();
        // Thoughts of 3,000 characters in pieces of 20, one every 10 ms: 1.5 s each.
        var response = await api.PostAsJsonAsync("/api/agent/execute", new
        {
            task = "cluster run",
            context = new { workload = new { phases = 1, steps = 2, delayMs = 0, thoughtBytes = 3_000, deltaChars = 20, deltaDelayMs = 10 } },
        });
        response.EnsureSuccessStatusCode();
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString()!;

        var client = new Client();
        var killed = false;
        using var timeout = new CancellationTokenSource(Deadline);
        using var stream = await api.GetStreamAsync($"/api/agent/stream/{id}?deltas=true", timeout.Token);
        await foreach (var frame in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            client.Take(frame);
            if (!killed && client.Shown("thinking:1").Length >= 200)
            {
                // The execution's silo dies while its first thought is being written.
                var management = orleans.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
                var host = (await management.GetDetailedGrainStatistics()).Single(s => s.GrainId.Key.ToString() == id).SiloAddress.Endpoint.Port;
                ClusterProcesses.Kill(cluster.Silos[cluster.SiloPorts.IndexOf(host)]);
                killed = true;
            }

            if (client.Ended)
            {
                break;
            }
        }

        Assert.True(killed);
        Assert.Equal("text:reset thinking:1", client.Resets.FirstOrDefault());
        Assert.True(client.CutAt["thinking:1"].Length >= 200);
        foreach (var (textId, cut) in client.CutAt)
        {
            var durable = client.Durable[textId];
            Assert.False(durable.StartsWith(cut, StringComparison.Ordinal), $"the resumed run wrote the same {textId}: nothing shows it was replaced");
            Assert.Equal(durable, client.RewrittenBeforeItsEvent[textId]); // the resumed run's text, from offset 0, spelled before its event came
        }

        client.AssertEveryTextShownWasAPrefixOfItsDurableText();
        output.WriteLine($"Withdrawn: {string.Join(", ", client.CutAt.Select(c => $"{c.Key} after {c.Value.Length} characters"))}.");
    }

    private sealed class Client
    {
        private readonly Dictionary<string, string> _texts = [];
        private readonly List<(string Id, string Shown)> _shown = [];

        public Dictionary<string, string> Durable { get; } = [];

        public List<string> Resets { get; } = [];

        /// <summary>What the client had of each withdrawn text when it was (last) withdrawn.</summary>
        public Dictionary<string, string> CutAt { get; } = [];

        /// <summary>Each withdrawn text as written again after its (last) withdrawal, before its durable event.</summary>
        public Dictionary<string, string> RewrittenBeforeItsEvent { get; } = [];

        public bool Ended { get; private set; }

        public string Shown(string id) => _texts.GetValueOrDefault(id, "");

        public void Take(SseItem<string> frame)
        {
            var data = JsonDocument.Parse(frame.Data).RootElement;
            switch (frame.EventType)
            {
                case "text:delta":
                    var id = data.GetProperty("textId").GetString()!;
                    var text = Shown(id);
                    Assert.Equal(text.Length, data.GetProperty("offset").GetInt32());
                    _texts[id] = text + data.GetProperty("text").GetString();
                    _shown.Add((id, _texts[id]));
                    if (CutAt.ContainsKey(id))
                    {
                        RewrittenBeforeItsEvent[id] = _texts[id];
                    }

                    break;
                case "text:reset":
                    var withdrawn = data.GetProperty("textId").GetString()!;
                    Resets.Add("text:reset " + withdrawn);
                    CutAt[withdrawn] = Shown(withdrawn);
                    RewrittenBeforeItsEvent[withdrawn] = "";
                    _texts.Remove(withdrawn);
                    _shown.RemoveAll(s => s.Id == withdrawn); // withdrawn: what follows replaces it
                    break;
                default:
                    var evt = JsonSerializer.Deserialize<AgentEvent>(frame.Data, AgentJson.Options)!;
                    if (evt.Data is ThinkingData thinking)
                    {
                        Durable[$"thinking:{thinking.Iteration}"] = thinking.Thought;
                        _texts.Remove($"thinking:{thinking.Iteration}");
                    }

                    Ended = evt.IsTerminal;
                    break;
            }
        }

        public void AssertEveryTextShownWasAPrefixOfItsDurableText()
        {
            foreach (var (id, shown) in _shown)
            {
                Assert.StartsWith(shown, Durable[id], StringComparison.Ordinal);
            }
        }
    }
}
