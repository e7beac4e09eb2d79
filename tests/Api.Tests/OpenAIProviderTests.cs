using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Serialization;
using Orleans.Core.Internal;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

/// <summary>The real <c>openai</c> provider path (Microsoft.Extensions.AI over the OpenAI SDK) against a loopback stub.</summary>
public sealed class OpenAIProviderTests(OpenAIApiFixture fixture, ITestOutputHelper output) : IClassFixture<OpenAIApiFixture>
{
    private ApiServer Server => fixture.Server;

    private OpenAIStub Stub => fixture.Stub;

    /// <summary>
    /// Follows the stream to its end while the execution's activation goes away inside its <c>slow_wait</c> tool call;
    /// a snapshot request brings it back, and it resumes from the log.
    /// </summary>
    private async Task<List<SseReading.Frame>> FollowLosingTheActivationInSlowWait(HttpClient client, string id, string streamUrl)
    {
        var waiting = new TaskCompletionSource();
        var reading = client.ReadStream(streamUrl, onFrame: f =>
        {
            if (f.Event.Data is ToolStartData { ToolName: "slow_wait" })
            {
                waiting.TrySetResult();
            }
        });
        await waiting.Task.WaitAsync(ApiServer.Deadline);
        var grain = Server.Services.GetRequiredService<IGrainFactory>().GetGrain<IExecutionGrain>(id);
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        await ApiTestHelpers.Eventually(() => fixture.Probe.Cancelled.Contains(id));
        await client.Snapshot(id);
        return await reading;
    }

    private static StubTurn Plan(params (string Id, string Name)[] phases) => new(
        ["Planning ", "now."],
        [new StubCall("call_plan", "create_plan", new { goal = "Do it", phases = phases.Select(p => new { id = p.Id, name = p.Name }) })]);

    [Fact]
    public async Task A_streamed_model_plans_thinks_calls_tools_and_completes_with_the_reported_tokens()
    {
        const string task = "Write two files about otters";
        Stub.Script(
            task,
            Plan(("research", "Research"), ("write", "Write")) with { PromptTokens = 100, CompletionTokens = 20 },
            new StubTurn(["Let me ", "note the ", "facts.\n\n", "Writing them ", "down."],
                [new StubCall("call_a", "create_file", new { path = "facts.md", content = "Otters hold hands." })], 120, 30),
            StubTurn.Say("Research done.") with { PromptTokens = 130, CompletionTokens = 10 },
            new StubTurn(["Now the summary."], [new StubCall("call_b", "create_file", new { path = "summary.md", content = "Otters: cute." })], 140, 25),
            StubTurn.Say("Writing done.") with { PromptTokens = 150, CompletionTokens = 5 },
            StubTurn.Say("Two files: ", "facts.md and summary.md.") with { PromptTokens = 160, CompletionTokens = 15 });
        using var alice = await Server.SignIn("alice");

        var (id, streamUrl) = await alice.Execute(new { task });
        var frames = await alice.ReadStream(streamUrl);

        string[] thinking = ["Planning now.", "Let me note the facts.", "Writing them down.", "Research done.", "Now the summary.", "Writing done."];
        Assert.Equal(thinking, frames.Select(f => f.Event.Data).OfType<ThinkingData>().Select(t => t.Thought));
        Assert.Equal(
            [
                AgentEventTypes.ExecutionStarted, AgentEventTypes.PlanCreated, AgentEventTypes.Thinking,
                AgentEventTypes.PhaseStart, AgentEventTypes.Thinking, AgentEventTypes.Thinking, AgentEventTypes.ToolStart,
                AgentEventTypes.ToolComplete, AgentEventTypes.Thinking, AgentEventTypes.PhaseComplete,
                AgentEventTypes.PhaseStart, AgentEventTypes.Thinking, AgentEventTypes.ToolStart, AgentEventTypes.ToolComplete,
                AgentEventTypes.Thinking, AgentEventTypes.PhaseComplete, AgentEventTypes.ExecutionComplete,
            ],
            frames.Select(f => f.Type));
        var plan = Assert.IsType<PlanCreatedData>(frames[1].Event.Data).Plan;
        Assert.Equal([("research", "Research"), ("write", "Write")], plan.Phases.Select(p => (p.Id, p.Name)));
        var toolStarts = frames.Select(f => f.Event.Data).OfType<ToolStartData>().ToList();
        Assert.Equal(["call_a", "call_b"], toolStarts.Select(t => t.CallId));
        Assert.Equal("facts.md", toolStarts[0].Params.GetProperty("path").GetString());
        Assert.All(frames.Select(f => f.Event.Data).OfType<ToolCompleteData>(), t => Assert.Null(t.Error));
        var complete = Assert.IsType<ExecutionCompleteData>(frames[^1].Event.Data);
        Assert.Equal("Two files: facts.md and summary.md.", complete.Result);
        Assert.Equal(new TokenUsage(100 + 120 + 130 + 140 + 150 + 160, 20 + 30 + 10 + 25 + 5 + 15), complete.TokensUsed);

        Assert.Equal("Otters hold hands.", await alice.GetStringAsync($"/api/agent/executions/{id}/files/facts.md"));
        var requests = Stub.RequestsFor(task).ToList();
        Assert.All(requests, r => Assert.Equal("stub-model", r.GetProperty("model").GetString()));
        Assert.Contains(requests[2].GetProperty("messages").EnumerateArray(), m => m.GetProperty("role").GetString() == "tool"
            && m.GetProperty("content").ToString().Contains("facts.md", StringComparison.Ordinal));
        var snapshot = await alice.Snapshot(id);
        Assert.All(snapshot.GetProperty("plan").GetProperty("phases").EnumerateArray(), p => Assert.Equal("completed", p.GetProperty("status").GetString()));
    }

    /// <summary>
    /// A megabyte written and read back: the log and the stream carry a preview and a reference in its place, the
    /// reference gives the owner the exact bytes (404 to anyone else), and the model saw all of it, also after the run
    /// lost its activation and was rebuilt from the log.
    /// </summary>
    [Fact]
    public async Task A_megabyte_written_and_read_back_travels_by_reference_and_the_model_still_sees_all_of_it()
    {
        const string task = "Write a megabyte and read it back";
        var content = string.Concat(Enumerable.Range(0, 1 << 20).Select(i => (char)('a' + (i % 26)))); // 1 MiB of ASCII
        Stub.Script(
            task,
            Plan(("write", "Write")),
            new StubTurn(["Writing."], [new StubCall("call_w", "create_file", new { path = "big.txt", content })]),
            new StubTurn(["Reading."], [new StubCall("call_r", "read_file", new { path = "big.txt" })]),
            new StubTurn(["Waiting."], [new StubCall("call_wait", "slow_wait", new { milliseconds = 60_000 })]),
            StubTurn.Say("Read it back."),
            StubTurn.Say("Done."));
        using var alice = await Server.SignIn("alice");
        using var mallory = await Server.SignIn("mallory");

        var (id, streamUrl) = await alice.Execute(new { task });
        // The activation goes away mid-tool; the run resumes from the log, whose events hold only previews.
        var frames = await FollowLosingTheActivationInSlowWait(alice, id, streamUrl);
        var logged = await alice.ReadStream(streamUrl, lastEventId: "0"); // after the end: from the log, not live

        foreach (var events in new[] { frames, logged })
        {
            var write = events.Select(f => f.Event.Data).OfType<ToolStartData>().Single(t => t.CallId == "call_w");
            var read = events.Select(f => f.Event.Data).OfType<ToolCompleteData>().Single(t => t.CallId == "call_r");
            Assert.Equal("big.txt", write.Params.GetProperty("path").GetString());
            Assert.Equal(content[..200] + "…", write.Params.GetProperty("content").GetString());
            Assert.Equal(content[..200] + "…", read.Result!.Value.GetProperty("content").GetString());
            foreach (var (reference, whole) in new[] { (write.ParamsRef!, (object)new { path = "big.txt", content }), (read.ResultRef!, new { path = "big.txt", content }) })
            {
                var bytes = await alice.GetByteArrayAsync(reference.Url);
                Assert.Equal(reference.Size, bytes.Length);
                Assert.Equal(reference.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
                Assert.True(JsonElement.DeepEquals(JsonSerializer.SerializeToElement(whole), JsonDocument.Parse(bytes).RootElement));
                Assert.Equal(HttpStatusCode.NotFound, (await mallory.GetAsync(reference.Url)).StatusCode);
            }
        }

        Assert.All(frames, f => Assert.True(f.Data.GetRawText().Length < 2_000, $"event {f.Event.Sequence} is {f.Data.GetRawText().Length} bytes"));
        // The model's next turns had the whole value: its own call's arguments, and read_file's whole result; the
        // turn after the resume (rebuilt from the log) too.
        foreach (var turn in new[] { 3, 4 })
        {
            var messages = Stub.RequestsFor(task).ToList()[turn].GetProperty("messages").EnumerateArray().ToList();
            Assert.Contains(messages, m => m.GetProperty("role").GetString() == "tool" && m.GetProperty("content").ToString().Contains(content, StringComparison.Ordinal));
            Assert.Contains(messages, m => m.GetProperty("role").GetString() == "assistant" && m.ToString().Contains(content[..1000], StringComparison.Ordinal));
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.GetAsync($"/api/agent/executions/{id}/artifacts/not-a-hash")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await alice.GetAsync($"/api/agent/executions/{id}/artifacts/{new string('0', 64)}")).StatusCode);
    }

    /// <summary>
    /// With <c>?deltas=true</c>, the model's tokens reach the client as they are streamed: the stub holds each turn
    /// after its text until the client has it all as deltas, so the text provably arrives before the turn ends, in
    /// order, and its durable event (the thought, the result) comes after and holds exactly that text.
    /// </summary>
    [Fact]
    public async Task Streamed_tokens_reach_a_deltas_client_in_order_before_the_event_that_holds_them()
    {
        const string task = "Think aloud about otters";
        const string thought = "Otters hold hands while sleeping.";
        const string answer = "They drift apart otherwise.";
        var thoughtSeen = new TaskCompletionSource();
        var answerSeen = new TaskCompletionSource();
        Stub.Script(
            task,
            Plan(("think", "Think")),
            new StubTurn(["Otters ", "hold ", "hands ", "while ", "sleeping."], [], Gate: thoughtSeen),
            new StubTurn(["They ", "drift ", "apart ", "otherwise.", "\n"], [], Gate: answerSeen));
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(new { task });

        var texts = new Dictionary<string, string>();
        var order = new List<string>();
        await alice.ReadFrames(streamUrl + "?deltas=true", null, int.MaxValue, frame =>
        {
            if (frame.EventType == "text:delta")
            {
                var data = JsonDocument.Parse(frame.Data).RootElement;
                var id = data.GetProperty("textId").GetString()!;
                var written = texts.GetValueOrDefault(id, "");
                Assert.Equal(written.Length, data.GetProperty("offset").GetInt32());
                texts[id] = written + data.GetProperty("text").GetString();
                order.Add("delta " + id);
                if (texts[id] == thought)
                {
                    thoughtSeen.TrySetResult();
                }

                if (texts[id] == answer)
                {
                    answerSeen.TrySetResult();
                }

                return true;
            }

            var evt = JsonSerializer.Deserialize<AgentEvent>(frame.Data, AgentJson.Options)!;
            order.Add(evt.Data is ThinkingData thinking ? $"event thinking:{thinking.Iteration}" : evt.Type);
            switch (evt.Data)
            {
                case ThinkingData t when t.Iteration == 2:
                    Assert.Equal((thought, thought), (t.Thought, texts["thinking:2"]));
                    break;
                case ExecutionCompleteData c:
                    Assert.Equal((answer, answer), (c.Result, texts["result"]));
                    break;
            }

            return !evt.IsTerminal;
        });

        Assert.True(thoughtSeen.Task.IsCompleted && answerSeen.Task.IsCompleted);
        Assert.True(order.LastIndexOf("delta thinking:2") < order.IndexOf("event thinking:2"), string.Join(", ", order));
        Assert.True(order.LastIndexOf("delta result") < order.IndexOf(AgentEventTypes.ExecutionComplete), string.Join(", ", order));
    }

    [Fact]
    public async Task A_request_may_choose_a_configured_model_and_no_other()
    {
        const string task = "Use the large model";
        Stub.Script(task, Plan(("only", "Only")), StubTurn.Say("Done."), StubTurn.Say("Result."));
        using var alice = await Server.SignIn("alice");

        var (_, streamUrl) = await alice.Execute(new { task, context = new { model = "stub-large" } });
        await alice.ReadStream(streamUrl);
        var refused = await alice.PostAsJsonAsync("/api/agent/execute", new { task, context = new { model = "gpt-9" } });

        Assert.All(Stub.RequestsFor(task), r => Assert.Equal("stub-large", r.GetProperty("model").GetString()));
        var problem = await refused.AssertProblem(400);
        Assert.Contains("stub-model, stub-large", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_error_is_reported_and_goes_back_to_the_model()
    {
        const string task = "Try the failing tool";
        Stub.Script(
            task,
            Plan(("try", "Try")),
            new StubTurn(["Trying."], [new StubCall("call_f", "failing_tool", new { })]),
            StubTurn.Say("It failed; moving on."),
            StubTurn.Say("Could not do it."));
        using var alice = await Server.SignIn("alice");

        var (_, streamUrl) = await alice.Execute(new { task });
        var frames = await alice.ReadStream(streamUrl);

        var failed = Assert.Single(frames.Select(f => f.Event.Data).OfType<ToolCompleteData>());
        Assert.Equal(("failing_tool", "disk on fire"), (failed.ToolName, failed.Error));
        Assert.Null(failed.Result);
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        var afterFailure = Stub.RequestsFor(task).ElementAt(2);
        Assert.Contains("disk on fire", afterFailure.GetProperty("messages").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_that_overruns_its_timeout_is_cancelled_and_reported_as_a_tool_error()
    {
        const string task = "Wait too long";
        Stub.Script(
            task,
            Plan(("wait", "Wait")),
            new StubTurn(["Waiting."], [new StubCall("call_t", "timed_wait", new { milliseconds = 60_000 })]),
            StubTurn.Say("That timed out."),
            StubTurn.Say("Gave up waiting."));
        using var alice = await Server.SignIn("alice");

        var (id, streamUrl) = await alice.Execute(new { task });
        var frames = await alice.ReadStream(streamUrl);

        var timedOut = Assert.Single(frames.Select(f => f.Event.Data).OfType<ToolCompleteData>());
        Assert.Equal("timed_wait did not finish within its limit of 00:00:01.", timedOut.Error);
        Assert.Contains(id, fixture.Probe.Cancelled);
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Contains("did not finish", Stub.RequestsFor(task).ElementAt(2).GetProperty("messages").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_never_stops_calling_tools_ends_with_iteration_limit()
    {
        const string task = "Loop forever";
        var loop = new StubTurn(["Again."], [new StubCall("call_l", "list_files", new { })]);
        Stub.Script(task, [Plan(("loop", "Loop")), .. Enumerable.Repeat(loop, OpenAIApiFixture.MaxIterations + 5)]);
        using var alice = await Server.SignIn("alice");

        var (_, streamUrl) = await alice.Execute(new { task });
        var frames = await alice.ReadStream(streamUrl);

        var error = Assert.IsType<ExecutionErrorData>(frames[^1].Event.Data);
        Assert.Equal("iteration_limit", error.Code);
        Assert.NotNull(error.Stack); // Development
        Assert.Equal(OpenAIApiFixture.MaxIterations, Stub.RequestsFor(task).Count());
    }

    [Fact]
    public async Task A_model_run_that_loses_its_activation_resumes_from_the_log_without_redoing_a_turn_or_a_tool_call()
    {
        const string task = "Resume after losing the activation";
        Stub.Script(
            task,
            Plan(("a", "First"), ("b", "Second")),
            new StubTurn(["Waiting."], [new StubCall("call_r1", "slow_wait", new { milliseconds = 60_000 })]),
            StubTurn.Say("First done."),
            new StubTurn(["Writing."], [new StubCall("call_r2", "create_file", new { path = "b.txt", content = "B" })]),
            StubTurn.Say("Second done."),
            StubTurn.Say("All done."));
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task });
        // The activation goes away mid-tool (as on a silo shutdown); the next call brings the execution back.
        var frames = await FollowLosingTheActivationInSlowWait(alice, id, streamUrl);

        Assert.Equal(Enumerable.Range(1, frames.Count).Select(i => (long)i), frames.Select(f => f.Event.Sequence));
        Assert.Equal("All done.", Assert.IsType<ExecutionCompleteData>(frames[^1].Event.Data).Result);
        var starts = frames.Select(f => f.Event.Data).OfType<ToolStartData>().ToList();
        var completes = frames.Select(f => f.Event.Data).OfType<ToolCompleteData>().ToList();
        Assert.Equal(["call_r1", "call_r2"], starts.Select(t => t.CallId));
        Assert.Equal(["call_r1", "call_r2"], completes.Select(t => t.CallId));
        Assert.StartsWith("Interrupted", completes[0].Error, StringComparison.Ordinal);
        Assert.Single(frames, f => f.Type == AgentEventTypes.PlanCreated);
        // Every model turn was asked for exactly once: the conversation was rebuilt, not replayed.
        var turns = Stub.RequestsFor(task)
            .Select(r => r.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("role").GetString() == "assistant"))
            .ToList();
        Assert.Equal([0, 1, 2, 3, 4, 5], turns);
        Assert.Contains("Interrupted", Stub.RequestsFor(task).ElementAt(2).GetProperty("messages").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_server_error_ends_with_model_failed()
    {
        using var alice = await Server.SignIn("alice");

        var (_, streamUrl) = await alice.Execute(new { task = "A task the stub has no script for" });
        var frames = await alice.ReadStream(streamUrl);

        Assert.Equal("model_failed", Assert.IsType<ExecutionErrorData>(frames[^1].Event.Data).Code);
    }

    [Fact]
    public async Task Cancel_during_a_model_call_aborts_the_http_request_and_ends_the_stream_at_once()
    {
        const string task = "Hang in the model";
        Stub.Script(task, new StubTurn(["Thinking..."], [], Hang: true));
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task });
        var cancelledSeen = new TaskCompletionSource<long>();
        var clock = new Stopwatch();
        var reading = alice.ReadStream(streamUrl, onFrame: f =>
        {
            if (f.Type == AgentEventTypes.ExecutionCancelled)
            {
                cancelledSeen.TrySetResult(clock.ElapsedMilliseconds);
            }
        });
        await Stub.Hanging.GetOrAdd(task, _ => new TaskCompletionSource()).Task.WaitAsync(ApiServer.Deadline);

        clock.Start();
        var cancel = await alice.PostAsJsonAsync($"/api/agent/executions/{id}/cancel", new { reason = "stop thinking" });
        var latency = await cancelledSeen.Task.WaitAsync(ApiServer.Deadline);
        var frames = await reading;

        output.WriteLine($"cancel latency during a model call: {latency} ms");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        // The model hangs until the request is aborted: ending within the deadline means the cancel aborted it (the
        // latency itself is a benchmark's business, not a test's: a starved CPU stretches it).
        Assert.InRange(latency, 0, 30_000);
        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        Assert.Single(frames, f => f.Event.IsTerminal);
        await ApiTestHelpers.Eventually(() => Stub.AbortedRequests.Contains(task));
    }

    [Fact]
    public async Task Cancel_during_a_tool_cancels_its_token_and_nothing_follows_the_cancelled_event()
    {
        const string task = "Wait in a tool";
        Stub.Script(task, Plan(("wait", "Wait")), new StubTurn(["Waiting."], [new StubCall("call_w", "slow_wait", new { milliseconds = 60_000 })]));
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task });
        var toolStarted = new TaskCompletionSource();
        var cancelledSeen = new TaskCompletionSource<long>();
        var clock = new Stopwatch();
        var reading = alice.ReadStream(streamUrl, onFrame: f =>
        {
            if (f.Type == AgentEventTypes.ToolStart)
            {
                toolStarted.TrySetResult();
            }
            else if (f.Type == AgentEventTypes.ExecutionCancelled)
            {
                cancelledSeen.TrySetResult(clock.ElapsedMilliseconds);
            }
        });
        await toolStarted.Task.WaitAsync(ApiServer.Deadline);

        clock.Start();
        var cancel = await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var latency = await cancelledSeen.Task.WaitAsync(ApiServer.Deadline);
        var frames = await reading;
        await ApiTestHelpers.Eventually(() => fixture.Probe.Cancelled.Contains(id));
        var log = await alice.ReadStream(streamUrl); // the whole log again, after the tool has unwound

        output.WriteLine($"cancel latency during a tool: {latency} ms");
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        // The tool would wait a minute: ending well before that means the cancel cut it, not that it ran out. (The
        // latency itself is a benchmark's business; on a starved CPU it was 907 ms, normally a few.)
        Assert.InRange(latency, 0, 30_000);
        Assert.Equal(AgentEventTypes.ExecutionCancelled, frames[^1].Type);
        Assert.Equal(frames.Select(f => f.Id), log.Select(f => f.Id));
        Assert.DoesNotContain(log, f => f.Type == AgentEventTypes.ToolComplete);
    }
}
