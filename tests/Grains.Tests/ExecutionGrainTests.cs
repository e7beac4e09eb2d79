using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.Serialization;
using Xunit.Abstractions;

namespace Orleans.Agent.Tests;

[Collection(AgentClusterCollection.Name)]
public sealed class ExecutionGrainTests(AgentClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Workload_sequences_are_gapless_and_the_log_replays_exactly_what_was_published()
    {
        var id = NewId();
        var recorder = await fixture.Record(id);
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);

        await grain.Start("alice", Workload(phases: 3, steps: 10, delayMs: 0, thoughtBytes: 200));
        var published = await recorder.UntilTerminal(Deadline);
        var logged = await grain.ReadAll("alice");

        Assert.Equal(Enumerable.Range(1, 99).Select(i => (long)i), published.Select(e => e.Sequence));
        Assert.Equal(published.Select(ToJson), logged.Select(ToJson));
        Assert.Equal(AgentEventTypes.ExecutionComplete, published[^1].Type);
        Assert.All(published, e => Assert.Equal(id, e.ExecutionId));
        Assert.All(published.OfType<AgentEvent>().Select(e => e.Data).OfType<ThinkingData>(), t => Assert.Equal(200, t.Thought.Length));
        var filler = string.Concat(Enumerable.Repeat("thinking about the next move. ", 7));
        Assert.Equal(("Phase 2, step 3: " + filler)[..200], published.Select(e => e.Data).OfType<ThinkingData>().ElementAt(12).Thought);
    }

    [Theory]
    [InlineData(0, "")]
    [InlineData(5, "Phase")]
    [InlineData(20, "Phase 1, step 1: thi")]
    public async Task A_synthetic_thought_is_its_head_and_filler_cut_to_its_length(int thoughtBytes, string expected)
    {
        var grain = fixture.Client.GetGrain<IExecutionGrain>(NewId());
        await grain.Start("alice", Workload(phases: 1, steps: 1, delayMs: 0, thoughtBytes));
        await Poll.Until(async () => (await grain.GetSnapshot("alice"))!.IsTerminal, Deadline);

        Assert.Equal(expected, Assert.Single((await grain.ReadAll("alice")).Select(e => e.Data).OfType<ThinkingData>()).Thought);
    }

    [Fact]
    public async Task A_read_of_a_long_log_returns_pages_bounded_in_bytes_and_every_event_once()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        await grain.Start("alice", Workload(phases: 1, steps: 12, delayMs: 0, thoughtBytes: 100_000)); // 12 thoughts of 100 KB
        await Poll.Until(async () => (await grain.GetSnapshot("alice"))!.IsTerminal, Deadline);

        var pages = new List<EventPage>();
        long after = 0;
        do
        {
            pages.Add((await grain.ReadEvents("alice", after, 1000))!);
            after = pages[^1].Events[^1].Sequence;
        }
        while (pages[^1].HasMore);

        Assert.Equal(Enumerable.Range(1, 3 + 2 + 3 * 12).Select(i => (long)i), pages.SelectMany(p => p.Events).Select(e => e.Sequence));
        Assert.True(pages.Count >= 12 * 100_000 / Grains.Executions.ExecutionGrain.MaxPageBytes, $"{pages.Count} pages");
        Assert.All(pages, p => Assert.True(
            p.Events.Length == 1 || p.Events.Sum(e => JsonSerializer.SerializeToUtf8Bytes(e, AgentJson.Options).Length) <= Grains.Executions.ExecutionGrain.MaxPageBytes,
            $"a page of {p.Events.Length} events is over the bound"));
    }

    [Fact]
    public async Task A_batch_too_large_for_one_stream_message_is_published_in_parts_and_an_event_too_large_for_any_is_left_to_the_log()
    {
        // 12 thoughts of 100 KB come in one batch of 1.2 MB: one message that large broke the memory queue's read
        // (lost, and the queue paused 10 s for every execution on it). A thought of 300 KB fits no message.
        foreach (var (steps, thoughtBytes) in new[] { (12, 100_000), (2, 300_000) })
        {
            var id = NewId();
            var recorder = await fixture.Record(id);
            var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
            await grain.Start("alice", Workload(phases: 1, steps, delayMs: 0, thoughtBytes));
            var published = await recorder.UntilTerminal(Deadline);
            var logged = await grain.ReadAll("alice");

            var fitting = logged.Where(e => Grains.Executions.EventSize.Estimate(e) <= Grains.Executions.ExecutionGrain.StreamEventBytes).ToList();
            Assert.Equal(fitting.Select(ToJson), published.Select(ToJson));
            Assert.Equal(thoughtBytes > Grains.Executions.ExecutionGrain.StreamEventBytes ? steps : 0, logged.Count - fitting.Count);
        }
    }

    [Fact]
    public async Task Workload_emits_exactly_the_documented_shape()
    {
        var id = NewId();
        var recorder = await fixture.Record(id);
        await fixture.Client.GetGrain<IExecutionGrain>(id).Start("alice", Workload(phases: 2, steps: 2, delayMs: 1, thoughtBytes: 5));

        var types = (await recorder.UntilTerminal(Deadline)).Select(e => e.Type);

        string[] step = [AgentEventTypes.Thinking, AgentEventTypes.ToolStart, AgentEventTypes.ToolComplete];
        string[] phase = [AgentEventTypes.PhaseStart, .. step, .. step, AgentEventTypes.PhaseComplete];
        Assert.Equal(
            [AgentEventTypes.ExecutionStarted, AgentEventTypes.PlanCreated, .. phase, .. phase, AgentEventTypes.ExecutionComplete],
            types);
    }

    [Fact]
    public async Task Builtin_task_runs_a_plan_with_tools_and_the_snapshot_folds_the_log()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        var recorder = await fixture.Record(id);

        var started = await grain.Start("alice", new ExecutionRequest("Create a landing page for a coffee shop"));
        var events = await recorder.UntilTerminal(Deadline);
        var snapshot = (await grain.GetSnapshot("alice"))!;

        Assert.Equal(ExecutionStatus.Pending, started.Status);
        Assert.Equal(ExecutionStatus.Completed, snapshot.Status);
        Assert.Equal(events[^1].Sequence, snapshot.LastSequence);
        Assert.All(snapshot.Plan!.Phases, p => Assert.Equal(PhaseStatus.Completed, p.Status));
        Assert.Equal(events.Count(e => e.Type == AgentEventTypes.ToolStart), snapshot.ToolCalls);
        var complete = Assert.IsType<ExecutionCompleteData>(events[^1].Data);
        Assert.Equal(complete.TokensUsed, snapshot.TokensUsed);
        Assert.Contains("coffee", complete.Result, StringComparison.OrdinalIgnoreCase);
        var toolResults = events.Select(e => e.Data).OfType<ToolCompleteData>().ToList();
        Assert.All(toolResults, r => Assert.Null(r.Error));
        Assert.Equal(["list_files", "create_file", "create_file", "read_file"], toolResults.Select(r => r.ToolName));
        Assert.Contains("<h2>Coffee</h2>", toolResults[^1].Result!.Value.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(["README.md", "index.html"], (await grain.ListFiles("alice"))!.Select(f => f.Path));
    }

    [Fact]
    public async Task A_snapshot_read_while_the_run_goes_on_is_the_fold_of_the_log_up_to_its_last_sequence()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        var request = Workload(phases: 1_000, steps: 1, delayMs: 2, thoughtBytes: 10); // seconds of phases starting and ending
        var started = await grain.Start("alice", request);
        var seen = new List<ExecutionSnapshot>();
        await WaitFor(async () =>
        {
            seen.Add((await grain.GetSnapshot("alice"))!);
            return seen.Select(s => s.LastSequence).Distinct().Count() >= 5;
        });
        await grain.Cancel("alice", "seen enough");
        seen.Add((await grain.GetSnapshot("alice"))!);

        var log = await grain.ReadAll("alice");
        Assert.Equal(ExecutionStatus.Cancelled, seen[^1].Status);
        foreach (var snapshot in seen)
        {
            var folded = ExecutionSnapshotFold.Apply(ExecutionSnapshotFold.Initial(id, request, started.CreatedAt), log.Take((int)snapshot.LastSequence).ToArray());
            Assert.Equal(Summary(folded), Summary(snapshot));
        }

        static string Summary(ExecutionSnapshot s) =>
            $"{s.Status} {s.LastSequence} {s.ToolCalls} {s.CurrentPhaseId} {s.StartedAt} {s.CompletedAt} {s.Error} "
            + string.Join(",", s.Plan?.Phases.Select(p => p.Status) ?? []);
    }

    [Fact]
    public async Task Reading_after_a_sequence_pages_through_the_log_in_order()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        var recorder = await fixture.Record(id);
        await grain.Start("alice", Workload(phases: 1, steps: 5, delayMs: 0, thoughtBytes: 1));
        await recorder.UntilTerminal(Deadline);

        var page = (await grain.ReadEvents("alice", afterSequence: 4, maxCount: 3))!;
        var rest = (await grain.ReadEvents("alice", afterSequence: 7, maxCount: 100))!;
        var beyond = (await grain.ReadEvents("alice", afterSequence: 500, maxCount: 100))!;

        Assert.Equal([5L, 6, 7], page.Events.Select(e => e.Sequence));
        Assert.True(page.HasMore);
        Assert.Equal(20, page.LastSequence);
        Assert.Equal(Enumerable.Range(8, 13).Select(i => (long)i), rest.Events.Select(e => e.Sequence));
        Assert.False(rest.HasMore);
        Assert.True(rest.IsTerminal);
        Assert.Empty(beyond.Events);
    }

    [Fact]
    public async Task Cancel_stops_the_loop_and_ends_with_exactly_one_cancelled_event()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        var recorder = await fixture.Record(id);
        await grain.Start("alice", Workload(phases: 1, steps: 10_000, delayMs: 5, thoughtBytes: 1));
        await WaitFor(async () => (await grain.GetSnapshot("alice"))!.LastSequence >= 10);

        var first = await grain.Cancel("alice", "enough");
        var second = await grain.Cancel("alice", "again");
        var published = await recorder.UntilTerminal(Deadline);
        var logAtEnd = await grain.ReadAll("alice");
        await Task.Delay(100); // a loop that kept running would append within a few 5 ms steps
        var logLater = await grain.ReadAll("alice");

        Assert.Equal(new CancelResult(true, ExecutionStatus.Cancelled), first);
        Assert.Equal(new CancelResult(false, ExecutionStatus.Cancelled), second);
        var cancelled = Assert.IsType<ExecutionCancelledData>(logAtEnd[^1].Data);
        Assert.Equal(("enough", "alice"), (cancelled.Reason, cancelled.By));
        Assert.Single(logLater, e => e.IsTerminal);
        Assert.Equal(logAtEnd.Count, logLater.Count);
        Assert.Equal(logAtEnd.Select(ToJson), published.Select(ToJson));
    }

    [Fact]
    public async Task A_cancel_sent_right_behind_the_start_still_wins_with_exactly_one_terminal_event()
    {
        var overtook = 0;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var grain = fixture.Client.GetGrain<IExecutionGrain>(NewId());

            // Not awaited in between: the cancel is queued on the grain while the start is still in flight. The run
            // is long (100 steps 50 ms apart), so the cancel always lands before its end, whatever the machine's load.
            var start = grain.Start("alice", Workload(phases: 1, steps: 100, delayMs: 50, thoughtBytes: 1));
            var cancel = grain.Cancel("alice", "too late?");
            await start;
            var result = await cancel;
            var log = await grain.ReadAll("alice");

            // Either order of arrival: a cancel that overtook the start is not "found" yet (null), but still wins.
            Assert.True(result is null or { Cancelled: true, Status: ExecutionStatus.Cancelled }, $"unexpected {result}");
            overtook += result is null ? 1 : 0;
            Assert.Equal(AgentEventTypes.ExecutionCancelled, log[^1].Type);
            Assert.Equal(("too late?", "alice"), log[^1].Data is ExecutionCancelledData c ? (c.Reason, c.By) : default);
            Assert.Single(log, e => e.IsTerminal);
            Assert.Equal(ExecutionStatus.Cancelled, (await grain.GetSnapshot("alice"))!.Status);
        }

        output.WriteLine($"the cancel overtook the start in {overtook} of 20 attempts");
    }

    [Fact]
    public async Task A_strangers_cancel_before_the_start_does_not_touch_the_owners_execution()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        var recorder = await fixture.Record(id);

        Assert.Null(await grain.Cancel("mallory", "mine now"));
        await grain.Start("alice", Workload(phases: 1, steps: 1, delayMs: 0, thoughtBytes: 1));
        var events = await recorder.UntilTerminal(Deadline);

        Assert.Equal(AgentEventTypes.ExecutionComplete, events[^1].Type);
    }

    [Fact]
    public async Task Another_user_gets_nothing_back_from_any_call()
    {
        var id = NewId();
        var grain = fixture.Client.GetGrain<IExecutionGrain>(id);
        await grain.Start("alice", Workload(phases: 1, steps: 100, delayMs: 10, thoughtBytes: 1));

        Assert.Null(await grain.ReadEvents("mallory", 0, 100));
        Assert.Null(await grain.GetSnapshot("mallory"));
        Assert.Null(await grain.Cancel("mallory", null));
        Assert.Equal(ExecutionStatus.Running, (await WaitForStatus(grain, s => s != ExecutionStatus.Pending)).Status);
        await grain.Cancel("alice", null);
    }

    [Fact]
    public async Task An_execution_that_was_never_started_is_not_found()
    {
        var grain = fixture.Client.GetGrain<IExecutionGrain>(NewId());

        Assert.Null(await grain.GetSnapshot("alice"));
        Assert.Null(await grain.ReadEvents("alice", 0, 10));
        Assert.Null(await grain.Cancel("alice", null));
    }

    [Fact]
    public async Task On_the_memory_store_a_running_execution_keeps_no_resume_reminder_and_finishes_as_usual()
    {
        // Its log dies with the silo, so nothing could resume it elsewhere (a durable store's reminder: ResumeTests).
        var grain = fixture.Client.GetGrain<IExecutionGrain>(NewId());
        await grain.Start("alice", Workload(phases: 1, steps: 1, delayMs: 60_000, thoughtBytes: 1));
        await WaitForStatus(grain, s => s == ExecutionStatus.Running);

        foreach (var silo in fixture.Cluster.Silos)
        {
            var reminders = silo.ServiceProvider.GetRequiredService<IReminderTable>();
            Assert.Empty((await reminders.ReadRows(grain.GetGrainId())).Reminders);
        }

        Assert.Equal(ExecutionStatus.Cancelled, (await grain.Cancel("alice", null))!.Status);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private static ExecutionRequest Workload(int phases, int steps, int delayMs, int thoughtBytes) =>
        new("synthetic", JsonSerializer.SerializeToElement(new { workload = new { phases, steps, delayMs, thoughtBytes } }));

    private static string ToJson(AgentEvent e) => JsonSerializer.Serialize(e, AgentJson.Options);

    private static async Task<ExecutionSnapshot> WaitForStatus(IExecutionGrain grain, Func<ExecutionStatus, bool> condition)
    {
        ExecutionSnapshot? snapshot = null;
        await WaitFor(async () => condition((snapshot = await grain.GetSnapshot("alice"))!.Status));
        return snapshot!;
    }

    private static Task WaitFor(Func<Task<bool>> condition) => Poll.Until(condition, Deadline);
}
