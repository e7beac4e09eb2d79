using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Tests;

/// <summary>Live text over SSE (<c>?deltas=true</c>): resumable, never repeated, always a prefix of the durable text.</summary>
public sealed class LiveTextStreamTests
{
    /// <summary>One thought of 100,000 characters in pieces of 20, one every 5 ms: still being written for as long as a test needs.</summary>
    private static readonly object LongThought = new
    {
        task = "synthetic load",
        context = new { workload = new { phases = 1, steps = 1, delayMs = 0, thoughtBytes = 100_000, deltaChars = 20, deltaDelayMs = 5 } },
    };

    /// <summary>Thoughts of 200 characters written in pieces of 20, one every 3 ms.</summary>
    private static object Writing(int phases, int steps) => new
    {
        task = "synthetic load",
        context = new { workload = new { phases, steps, delayMs = 0, thoughtBytes = 200, deltaChars = 20, deltaDelayMs = 3 } },
    };

    /// <summary>
    /// Random hang-ups and resumes (with the Last-Event-ID of the last durable event) while texts are being written: a
    /// client that drops its texts at each new connection, as docs/events.md says, places every delta exactly where
    /// its text ends (nothing repeated, nothing skipped), and what it shows of a text at every moment is a prefix of
    /// the durable event that completes it. Synthetic thoughts, and the builtin model's thoughts and final answer.
    /// </summary>
    [Fact]
    public async Task Whatever_the_disconnect_points_every_text_shown_is_a_prefix_of_its_durable_text()
    {
        await using var server = await ApiServer.Start("Development", "--Model:BuiltinChunkDelay=00:00:00.002");
        using var alice = await server.SignIn("alice");
        var random = new Random(23);
        var deltas = 0;
        var resumedMidText = 0;
        for (var run = 0; run < 6; run++)
        {
            var builtin = run % 3 == 2;
            var (_, executionUrl) = await alice.Execute(builtin ? new { task = "Write a landing page for a bakery" } : Writing(2, 6));
            var streamUrl = executionUrl + (run % 2 == 0 ? "?deltas=true" : "?types=thinking,execution:complete,text:delta");
            var client = new TextClient();
            string? lastId = null;
            while (!client.Ended)
            {
                client.Connect();
                await alice.ReadFrames( streamUrl, lastId, random.Next(1, 30), frame => client.Take(frame));
                lastId = client.LastEventId;
                if (random.Next(3) == 0)
                {
                    await Task.Delay(random.Next(5, 40));
                }
            }

            client.AssertEveryTextWasAPrefixOfItsDurableText();
            deltas += client.Deltas;
            resumedMidText += client.ResumedMidText;
        }

        Assert.True(deltas > 100, $"only {deltas} deltas were received");
        Assert.True(resumedMidText > 0, "no connection resumed while a text it had part of was being written");
    }

    [Fact]
    public async Task A_connection_opened_mid_text_gets_the_text_so_far_as_one_delta_then_the_pieces_after_it()
    {
        await using var server = await ApiServer.Start("Development");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(LongThought);
        var early = new List<SseItem<string>>();
        await alice.ReadFrames( streamUrl + "?deltas=true", null, int.MaxValue, frame =>
        {
            early.Add(frame);
            return early.Count(f => f.EventType == "text:delta") < 3;
        });
        var seen = string.Concat(early.Where(f => f.EventType == "text:delta").Select(f => Delta(f).Text));

        var later = new List<SseItem<string>>();
        await alice.ReadFrames( streamUrl + "?deltas=true", early.Last(f => f.EventType != "text:delta").EventId, 3, frame =>
        {
            later.Add(frame);
            return true;
        });
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);

        Assert.All(later, f => Assert.Equal("text:delta", f.EventType)); // no durable event after the cursor yet
        var whole = Delta(later[0]);
        Assert.Equal(("thinking:1", 0), (whole.TextId, whole.Offset));
        Assert.StartsWith(seen, whole.Text, StringComparison.Ordinal);
        Assert.Equal(whole.Text.Length, Delta(later[1]).Offset);
        Assert.Equal(Delta(later[1]).Offset + Delta(later[1]).Text.Length, Delta(later[2]).Offset);
    }

    /// <summary>
    /// The node follows the execution for a connection without deltas (so the grain sends it no text); a connection
    /// with deltas then joins the same subscription: the node asks for the texts, and the newcomer gets them.
    /// </summary>
    [Fact]
    public async Task A_deltas_connection_joining_a_node_that_follows_the_execution_without_texts_gets_them()
    {
        await using var server = await ApiServer.Start("Development");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(LongThought);
        var plainFrames = 0;
        var phaseStarted = new TaskCompletionSource();
        var plain = alice.ReadFrames(streamUrl, null, int.MaxValue, frame =>
        {
            Assert.DoesNotContain("text:", frame.EventType, StringComparison.Ordinal);
            if (++plainFrames == 3)
            {
                phaseStarted.TrySetResult(); // started, plan, phase: the node follows the execution, without texts
            }

            return true;
        });
        await phaseStarted.Task.WaitAsync(ApiServer.Deadline);

        var deltas = new List<SseItem<string>>();
        await alice.ReadFrames(streamUrl + "?deltas=true", "3", 3, frame =>
        {
            deltas.Add(frame);
            return true;
        });
        await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        await plain;

        Assert.All(deltas, f => Assert.Equal("text:delta", f.EventType));
        Assert.Equal(("thinking:1", 0), (Delta(deltas[0]).TextId, Delta(deltas[0]).Offset));
        Assert.Equal(Delta(deltas[0]).Text.Length, Delta(deltas[1]).Offset);
        Assert.Equal(Delta(deltas[1]).Offset + Delta(deltas[1]).Text.Length, Delta(deltas[2]).Offset);
    }

    /// <summary>
    /// A client that stops reading while 16 MiB of text is written in 16,784 pieces (and 16 MiB of durable thoughts,
    /// more than the sockets buffer) is not cut off for the pieces: the node queues none for it, only how much of each
    /// text it has sent, so when it reads again it gets at most one delta per text still being written with everything
    /// it missed (a text completed meanwhile comes as its event alone), and the run's end on the same connection. The
    /// live buffer is made large enough here that the durable thoughts do not trip the slow-consumer rule, which stays
    /// theirs.
    /// </summary>
    [Fact]
    public async Task A_client_that_falls_behind_gets_merged_deltas_and_is_never_cut_off_for_them()
    {
        await using var server = await ApiServer.Start("Development", "--Sse:LiveBufferBytes=67108864");
        using var alice = await server.SignIn("alice");
        const int steps = 16, thoughtBytes = 1 << 20, deltaChars = 1_000;
        var (id, streamUrl) = await alice.Execute(new
        {
            task = "synthetic load",
            context = new { workload = new { phases = 1, steps, delayMs = 0, thoughtBytes, deltaChars, deltaDelayMs = 0 } },
        });

        using var timeout = new CancellationTokenSource(ApiServer.Deadline * 4);
        using var stream = await alice.GetStreamAsync(streamUrl + "?deltas=true", timeout.Token);
        await using var frames = SseParser.Create(stream).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
        var client = new TextClient();
        client.Connect();
        for (var i = 0; i < 3 && await frames.MoveNextAsync(); i++)
        {
            client.Take(frames.Current);
        }

        // Stop reading until the run is over: every piece is written meanwhile, and the sockets fill up.
        await Poll.Until(async () => (await alice.Snapshot(id)).GetProperty("status").GetString() == "completed", ApiServer.Deadline * 4);
        while (!client.Ended && await frames.MoveNextAsync())
        {
            client.Take(frames.Current);
        }

        Assert.True(client.Ended, "the connection ended before the run's last event");
        client.AssertEveryTextWasAPrefixOfItsDurableText();
        var written = steps * (thoughtBytes / deltaChars + 1);
        Assert.True(client.Deltas < written / 2, $"{client.Deltas} deltas of {written} written: the node did not merge what the client missed");
    }

    /// <summary>
    /// Past the node's rate for live text (set very low here), clients that read at once still take turns: the pieces
    /// that come while a connection waits go out merged, every text shown is a prefix of its durable text, and none
    /// is lost or repeated. The node's own pace, not a client that fell behind (above).
    /// </summary>
    [Fact]
    public async Task Past_the_nodes_text_rate_connections_take_turns_and_get_pieces_merged()
    {
        await using var server = await ApiServer.Start("Development", "--Sse:TextFrameRate=5");
        using var alice = await server.SignIn("alice");
        const int executions = 3, steps = 2, thoughtBytes = 2_000, deltaChars = 20;
        var clients = await Task.WhenAll(Enumerable.Range(0, executions).Select(async _ =>
        {
            var (_, streamUrl) = await alice.Execute(new
            {
                task = "synthetic load",
                context = new { workload = new { phases = 1, steps, delayMs = 0, thoughtBytes, deltaChars, deltaDelayMs = 3 } },
            });
            var client = new TextClient();
            client.Connect();
            await alice.ReadFrames(streamUrl + "?deltas=true", null, int.MaxValue, client.Take);
            return client;
        }));

        Assert.All(clients, client =>
        {
            Assert.True(client.Ended, "a stream ended before its run's last event");
            client.AssertEveryTextWasAPrefixOfItsDurableText();
        });
        var written = executions * steps * (thoughtBytes / deltaChars);
        var received = clients.Sum(c => c.Deltas);
        Assert.InRange(received, 1, written / 4);
    }

    [Fact]
    public async Task Without_deltas_a_stream_of_a_run_that_writes_text_carries_only_its_events()
    {
        await using var server = await ApiServer.Start("Development");
        using var alice = await server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(Writing(1, 3));

        var plain = await alice.ReadStream(streamUrl);
        var body = await alice.GetStringAsync(streamUrl + "?deltas=false"); // the finished log, read again

        Assert.Equal(3 + 2 + 9, plain.Count);
        Assert.DoesNotContain("text:", body, StringComparison.Ordinal);
        Assert.All(plain, f => Assert.Equal(f.Event.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), f.Id));
    }

    [Theory]
    [InlineData("?deltas=yes", "deltas must be true or false")]
    [InlineData("?deltas=true&deltas=false", "deltas must be true or false")]
    [InlineData("?deltas=false&types=text:delta", "contradicts types")]
    [InlineData("?types=text:deltas", "unknown: text:deltas")]
    public async Task A_bad_deltas_request_is_a_400_problem_that_says_why(string query, string reason)
    {
        await using var server = await ApiServer.Start("Development");
        using var alice = await server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(Writing(1, 1));

        var problem = await (await alice.GetAsync(streamUrl + query)).AssertProblem(400);

        Assert.Contains(reason, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static (string TextId, int Offset, string Text) Delta(SseItem<string> frame)
    {
        var data = JsonDocument.Parse(frame.Data).RootElement;
        return (data.GetProperty("textId").GetString()!, data.GetProperty("offset").GetInt32(), data.GetProperty("text").GetString()!);
    }

    /// <summary>A client as docs/events.md describes one: texts dropped at each connection, deltas placed at their offset.</summary>
    private sealed class TextClient
    {
        private readonly Dictionary<string, StringBuilder> _texts = [];
        private readonly List<(string TextId, string Shown)> _shown = [];
        private readonly Dictionary<string, string> _durable = [];
        private HashSet<string> _heldBefore = [];

        public bool Ended { get; private set; }

        public string? LastEventId { get; private set; }

        public int Deltas { get; private set; }

        public int ResumedMidText { get; private set; }

        public void Connect()
        {
            _heldBefore = _texts.Where(t => t.Value.Length > 0).Select(t => t.Key).ToHashSet();
            _texts.Clear();
        }

        public bool Take(SseItem<string> frame)
        {
            switch (frame.EventType)
            {
                case "text:delta":
                    var data = JsonDocument.Parse(frame.Data).RootElement;
                    var (id, offset, text) = (data.GetProperty("textId").GetString()!, data.GetProperty("offset").GetInt32(), data.GetProperty("text").GetString()!);
                    Assert.False(_durable.ContainsKey(id), $"a delta of {id} after its durable event");
                    if (!_texts.TryGetValue(id, out var current))
                    {
                        _texts[id] = current = new StringBuilder();
                        ResumedMidText += offset == 0 && _heldBefore.Contains(id) ? 1 : 0;
                    }

                    Assert.Equal(current.Length, offset); // nothing repeated, nothing skipped
                    Assert.NotEmpty(text);
                    current.Append(text);
                    _shown.Add((id, current.ToString()));
                    Deltas++;
                    break;
                case "text:reset":
                    Assert.Fail("a text was withdrawn although no silo failed");
                    break;
                default:
                    var evt = JsonSerializer.Deserialize<AgentEvent>(frame.Data, AgentJson.Options)!;
                    LastEventId = frame.EventId;
                    if (evt.Data is ThinkingData thinking)
                    {
                        Complete($"thinking:{thinking.Iteration}", thinking.Thought);
                    }
                    else if (evt.Data is ExecutionCompleteData complete)
                    {
                        Complete("result", complete.Result);
                    }

                    Ended = evt.IsTerminal;
                    break;
            }

            return true;
        }

        public void AssertEveryTextWasAPrefixOfItsDurableText()
        {
            Assert.NotEmpty(_durable);
            foreach (var (id, shown) in _shown)
            {
                Assert.True(_durable.TryGetValue(id, out var final), $"{id} was written but never completed");
                Assert.StartsWith(shown, final, StringComparison.Ordinal);
            }
        }

        private void Complete(string id, string final)
        {
            _durable[id] = final;
            _texts.Remove(id); // the durable event replaces the deltas
        }
    }
}
