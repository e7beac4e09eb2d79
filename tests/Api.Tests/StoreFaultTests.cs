using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Agent.Api.Executions;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Tools;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>
/// The durable store misbehaves while executions run and clients resume: a real redis-server or Azurite behind
/// loopback proxies, paused (SIGSTOP), stopped and restarted (with and without its data), or slowed past its client's
/// timeout. Every
/// execution must reach exactly one terminal event, every client one gapless sequence, no tool call may run twice,
/// and new requests get a 503 problem during the fault and succeed after it.
/// </summary>
public sealed class StoreFaultTests(ITestOutputHelper output)
{
    private const int Executions = 4;
    private const int Phases = 2;
    private const int Steps = 15;
    private const int EventsPerExecution = 3 + Phases * (2 + 3 * Steps);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_store_paused_for_10_s_stalls_the_runs_and_they_go_on_gapless(string kind)
    {
        await using var outcome = await RunThroughFault(kind, persistent: false, async store =>
        {
            await store.Durable.Pause();
            var ready = await store.Readiness(); // about 5 s: the silo's bound on a store that does not answer
            var during = await store.RequestsDuring(TimeSpan.FromSeconds(4));
            await store.Durable.Resume();

            // Readiness names the dependency: the node stays in rotation (Degraded, 200) and says the store is down.
            Assert.Equal(HttpStatusCode.OK, ready.Status);
            Assert.Equal("Degraded", ready.Body.GetProperty("status").GetString());
            Assert.Equal("Healthy", ready.Body.GetProperty("checks").GetProperty("cluster").GetProperty("status").GetString());
            Assert.Equal("Degraded", ready.Body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
            return during;
        });

        outcome.AssertAllEndedWith(AgentEventTypes.ExecutionComplete);
        var after = await outcome.Store.Readiness();
        Assert.Equal("Healthy", after.Body.GetProperty("status").GetString());
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task With_store_outage_unhealthy_readiness_is_503_while_the_store_is_stopped_and_200_when_it_is_back(string kind)
    {
        await using var store = await DurableStore.Start(kind, persistent: true);
        await using var server = await ApiServer.Start("Development", [.. store.Settings, "--Health:StoreOutage=Unhealthy"]);
        using var probe = server.Anonymous();
        async Task<(HttpStatusCode Status, string Overall, string Store)> Readiness()
        {
            using var response = await probe.GetAsync("/health/ready");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            return (response.StatusCode, body.GetProperty("status").GetString()!, body.GetProperty("checks").GetProperty("store").GetProperty("status").GetString()!);
        }

        Assert.Equal((HttpStatusCode.OK, "Healthy", "Healthy"), await Readiness());

        await store.Stop();
        await ApiTestHelpers.Eventually(async () => await Readiness() == (HttpStatusCode.ServiceUnavailable, "Unhealthy", "Unhealthy"));

        await store.Restart();
        await ApiTestHelpers.Eventually(async () => await Readiness() == (HttpStatusCode.OK, "Healthy", "Healthy"));
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_store_stopped_and_restarted_with_its_data_loses_nothing(string kind)
    {
        await using var outcome = await RunThroughFault(kind, persistent: true, async store =>
        {
            await store.Durable.Stop();
            var during = await store.RequestsDuring(TimeSpan.FromSeconds(3));
            await store.Durable.Restart();
            return during;
        });

        outcome.AssertAllEndedWith(AgentEventTypes.ExecutionComplete);
    }

    // Redis only: a Redis without persistence loses what it acknowledged when it restarts; an Azure Storage account
    // (replicated before it answers) does not, and an empty Azurite has lost the tables themselves, not just their rows.
    [Fact]
    public async Task A_store_restarted_empty_gets_every_running_log_back_from_the_executions()
    {
        await using var outcome = await RunThroughFault(DurableStore.Redis, persistent: false, async store =>
        {
            await store.Durable.Stop();
            var during = await store.RequestsDuring(TimeSpan.FromSeconds(3));
            await store.Durable.Restart();
            return during;
        });

        outcome.AssertAllEndedWith(AgentEventTypes.ExecutionComplete);
        // The store lost the owner's list and the grain states too: the executions wrote them again.
        var listed = await outcome.Client.GetFromJsonAsync<JsonElement>("/api/agent/executions?limit=100");
        var ids = listed.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("executionId").GetString()).ToHashSet();
        Assert.Superset(outcome.ExecutionIds.ToHashSet(), ids!);
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_store_slower_than_its_timeout_applies_writes_late_and_the_runs_recognise_them(string kind)
    {
        await using var outcome = await RunThroughFault(kind, persistent: false, async store =>
        {
            store.Delay = TimeSpan.FromSeconds(6); // past the store client's 5 s bound: every call times out, then is applied
            var during = await store.RequestsDuring(TimeSpan.FromSeconds(8));
            store.Delay = TimeSpan.Zero;
            return during;
        });

        outcome.AssertAllEndedWith(AgentEventTypes.ExecutionComplete);
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task Past_the_outage_budget_every_run_ends_with_storage_unavailable_and_every_client_sees_it(string kind)
    {
        await using var outcome = await RunThroughFault(kind, persistent: false, async store =>
        {
            await store.Durable.Pause();
            var during = await store.RequestsDuring(TimeSpan.FromSeconds(6));
            // Down until every run has seen the outage outlast its budget (a write must time out first: about 5 s,
            // later on a starved machine), or a run whose write was still waiting would complete when the store is back.
            await Poll.Until(() => Task.FromResult(store.Logs.Messages.Count(m => m.Contains("longer than the outage budget", StringComparison.Ordinal)) >= Executions), Deadline);
            await store.Durable.Resume();
            return during;
        }, "--Storage:OutageBudget=00:00:02");

        outcome.AssertAllEndedWith(AgentEventTypes.ExecutionError);
        foreach (var id in outcome.ExecutionIds)
        {
            var log = await outcome.Client.ReadStream($"/api/agent/stream/{id}");
            Assert.Equal("storage_unavailable", log[^1].Data.GetProperty("data").GetProperty("code").GetString());
            Assert.Equal("failed", (await outcome.Client.Snapshot(id)).GetProperty("status").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_model_run_makes_no_model_call_and_no_tool_call_while_the_store_is_paused_and_ends_after_it(string kind)
    {
        const string task = "Gated work";
        await using var stub = await OpenAIStub.Start();
        stub.Script(
            task,
            new StubTurn(["Planning."], [new StubCall("call_plan", "create_plan", new { goal = "Gated", phases = new[] { new { id = "one", name = "One" } } })]),
            new StubTurn(["Through the gate."], [new StubCall("call_1", "gate", new { note = "first" })]),
            new StubTurn(["Once more."], [new StubCall("call_2", "gate", new { note = "second" })]),
            StubTurn.Say("Phase done."),
            StubTurn.Say("The answer."));
        var gate = new GateTool();
        await using var store = await DurableStore.Start(kind);
        await using var server = await ApiServer.Start(
            "Development",
            builder => builder.Services.AddSingleton<IAgentTool>(gate),
            [.. store.Settings, "--Model:Provider=openai", $"--Model:BaseUrl={stub.BaseUrl}",
            "--Model:ApiKey=test-key", "--Model:Models:0=stub-model"]);
        using var alice = await server.SignIn("alice");
        var (id, _) = await alice.Execute(new { task });
        var follower = SseFollower.Follow(id, [alice], Deadline);

        await gate.Entered.Task.WaitAsync(Deadline); // the run is inside its first tool call
        await store.Pause();
        var modelCalls = stub.RequestsFor(task).Count();
        gate.Open.TrySetResult(); // the call returns; its tool:complete cannot be made durable now
        await Task.Delay(TimeSpan.FromSeconds(6)); // past the store client's timeout: the run has seen the fault
        var modelCallsDuring = stub.RequestsFor(task).Count() - modelCalls;
        var toolCallsDuring = gate.Calls - 1;
        await store.Resume();
        var frames = (await follower.WaitAsync(Deadline)).Frames;

        Assert.Equal(0, modelCallsDuring);
        Assert.Equal(0, toolCallsDuring);
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), frames.Select(f => f.Id));
        Assert.Equal(2, gate.Calls); // each tool call ran once
        Assert.Equal(5, stub.RequestsFor(task).Count()); // each model turn was asked for once
    }

    private async Task<Outcome> RunThroughFault(
        string kind, bool persistent, Func<Store, Task<List<(HttpStatusCode Status, long Ms)>>> fault, params string[] settings)
    {
        var durable = await DurableStore.Start(kind, persistent);
        var proxies = durable.Ports.Select(port => new TcpDelayProxy(port)).ToList();
        var logs = new CapturedLogs();
        ApiServer server;
        try
        {
            server = await ApiServer.Start("Development", builder => builder.Logging.AddProvider(logs), [.. durable.SettingsThrough([.. proxies.Select(p => p.Port)]), .. settings]);
        }
        catch
        {
            foreach (var proxy in proxies)
            {
                await proxy.DisposeAsync();
            }

            await durable.DisposeAsync();
            throw;
        }

        var outcome = new Outcome(new Store(durable, proxies, await server.SignIn("alice"), logs), server);
        try
        {
            await Run(outcome, fault);
            return outcome;
        }
        catch
        {
            await outcome.DisposeAsync();
            throw;
        }
    }

    private async Task Run(Outcome outcome, Func<Store, Task<List<(HttpStatusCode Status, long Ms)>>> fault)
    {
        var client = outcome.Client;

        var ids = new List<string>();
        for (var i = 0; i < Executions; i++)
        {
            ids.Add((await client.Execute(ApiTestHelpers.Workload(Phases, Steps, 100, 50))).Id);
        }

        var followers = ids.SelectMany(id => new[] { SseFollower.Follow(id, [client], Deadline), SseFollower.Follow(id, [client], Deadline) }).ToList();
        await Poll.Until(async () =>
        {
            foreach (var id in ids)
            {
                if ((await client.Snapshot(id)).GetProperty("lastSequence").GetInt64() < 10)
                {
                    return false;
                }
            }

            return true;
        }, Deadline);

        var clock = Stopwatch.StartNew();
        var during = await fault(outcome.Store);
        var results = await Task.WhenAll(followers).WaitAsync(Deadline);
        var finished = clock.Elapsed;

        // After the fault, new work is served again.
        var (afterId, afterUrl) = await client.Execute(ApiTestHelpers.Workload(1, 2, 0, 10));
        Assert.True(AgentEventTypes.IsTerminal((await client.ReadStream(afterUrl))[^1].Type));

        Assert.NotEmpty(during);
        Assert.All(during, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        var stalls = results.Select(r => r.LongestStallMs).Order().ToArray();
        output.WriteLine(
            $"{Executions} executions x 2 clients: all ended {finished.TotalSeconds:F1} s after the fault began; longest gap a client saw: " +
            $"median {stalls[stalls.Length / 2]} ms, max {stalls[^1]} ms; reconnects {results.Sum(r => r.Reconnects)}; " +
            $"requests during the fault: {during.Count}, all 503, slowest answer {during.Max(r => r.Ms)} ms. (after-fault run {afterId})");

        foreach (var id in ids)
        {
            var log = await client.ReadStream($"/api/agent/stream/{id}");
            Assert.Equal(Enumerable.Range(1, log.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), log.Select(f => f.Id));
            Assert.Single(log, f => AgentEventTypes.IsTerminal(f.Type));
            var starts = log.Select(f => f.Event.Data).OfType<ToolStartData>().Select(t => t.CallId).ToList();
            var completions = log.Select(f => f.Event.Data).OfType<ToolCompleteData>().Select(t => t.CallId).ToList();
            Assert.Equal(starts.Distinct(), starts); // no tool call ran twice
            // Each call completes once, in order; a run the outage ended may end inside its last call.
            var endedInsideACall = log[^1].Type == AgentEventTypes.ExecutionError && completions.Count == starts.Count - 1;
            Assert.Equal(endedInsideACall ? starts[..^1] : starts, completions);
            outcome.Logs[id] = log;
            outcome.ExecutionIds.Add(id);
        }

        // Every client saw exactly the log: one gapless sequence, no duplicate, ending with its terminal event.
        for (var i = 0; i < ids.Count; i++)
        {
            var expected = outcome.Logs[ids[i]].Select(f => (f.Id, f.Type)).ToList();
            Assert.Equal(expected, results[2 * i].Frames);
            Assert.Equal(expected, results[2 * i + 1].Frames);
        }
    }

    /// <summary>The faulty store, the proxies in front of it, a client of the API on it, and the API's logs.</summary>
    private sealed record Store(DurableStore Durable, IReadOnlyList<TcpDelayProxy> Proxies, HttpClient Client, CapturedLogs Logs)
    {
        /// <summary>How long the proxies hold every byte on its way to the store.</summary>
        public TimeSpan Delay
        {
            set
            {
                foreach (var proxy in Proxies)
                {
                    proxy.Delay = value;
                }
            }
        }

        public async Task<(HttpStatusCode Status, JsonElement Body)> Readiness()
        {
            using var response = await Client.GetAsync("/health/ready");
            return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }

        /// <summary>New requests while the store is down, one after another for <paramref name="length"/>: each answer's status and time.</summary>
        public async Task<List<(HttpStatusCode Status, long Ms)>> RequestsDuring(TimeSpan length)
        {
            var answers = new List<(HttpStatusCode, long)>();
            var until = DateTime.UtcNow + length;
            while (DateTime.UtcNow < until)
            {
                // Starts, the owner's list and a stream whose execution is not in memory all need the store (the list's
                // store error must cross the grain boundary; the stream's execution cannot activate without its state).
                answers.AddRange(await Task.WhenAll(
                    Answer(() => Client.PostAsJsonAsync("/api/agent/execute", ApiTestHelpers.Workload(1, 1, 0, 10))),
                    Answer(() => Client.GetAsync("/api/agent/executions")),
                    Answer(() => Client.GetAsync($"/api/agent/stream/{ExecutionIds.New()}"))));
                await Task.Delay(250);
            }

            return answers;
        }

        private static async Task<(HttpStatusCode, long)> Answer(Func<Task<HttpResponseMessage>> send)
        {
            var clock = Stopwatch.StartNew();
            using var response = await send();
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                var problem = await response.AssertProblem(503);
                Assert.Contains("store", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
                Assert.NotNull(response.Headers.RetryAfter);
            }

            return (response.StatusCode, clock.ElapsedMilliseconds);
        }
    }

    /// <summary>What the run left: the executions and their logs, and the processes, stopped when disposed.</summary>
    private sealed class Outcome(Store store, ApiServer server) : IAsyncDisposable
    {
        public Store Store => store;

        public HttpClient Client => store.Client;

        public List<string> ExecutionIds { get; } = [];

        public Dictionary<string, List<SseReading.Frame>> Logs { get; } = [];

        public void AssertAllEndedWith(string terminalType) =>
            Assert.All(Logs.Values, log => Assert.Equal(terminalType, log[^1].Type));

        public async ValueTask DisposeAsync()
        {
            store.Client.Dispose();
            await server.DisposeAsync();
            foreach (var proxy in store.Proxies)
            {
                await proxy.DisposeAsync();
            }

            await store.Durable.DisposeAsync();
        }
    }
}
