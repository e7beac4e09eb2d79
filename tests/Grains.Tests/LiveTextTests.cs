using System.Text;
using System.Text.Json;
using Orleans.Agent.Events;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

/// <summary>
/// Live text at the grain: pieces pushed as written, before the event that holds them, whole to a late watcher. The
/// watchers are reached in-process (as on a node co-hosting the silo), where pushes arrive in the order they are sent;
/// messages to another process may be reordered, which the node's <c>LiveTexts</c> absorbs (tested in Api.Tests).
/// </summary>
[Collection(AgentClusterCollection.Name)]
public sealed class LiveTextTests(AgentClusterFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>A thought of 200 characters in pieces of 20, one every 5 ms; a thousand steps: it runs until cancelled.</summary>
    private static readonly ExecutionRequest Writing = new("synthetic", JsonSerializer.SerializeToElement(new
    {
        workload = new { phases = 1, steps = 1000, delayMs = 0, thoughtBytes = 200, deltaChars = 20, deltaDelayMs = 5 },
    }));

    [Fact]
    public async Task Every_text_is_spelled_by_its_pieces_before_its_event_and_a_later_watcher_gets_it_whole_first()
    {
        var grain = fixture.Client.GetGrain<IExecutionGrain>(Guid.NewGuid().ToString("N"));
        await grain.Start("alice", Writing);
        var first = await TextWatch.Start(fixture, grain);
        var eventsOnly = new WatcherRecorder();
        var eventsOnlyReference = fixture.Client.CreateObjectReference<IExecutionWatcher>(eventsOnly);
        Assert.Empty((await grain.Watch("alice", eventsOnlyReference))!.Deltas);
        await first.UntilThoughts(2);
        var later = await TextWatch.Start(fixture, grain); // mid-run: texts being written come whole, then continue
        await later.UntilThoughts(3);
        await grain.Cancel("alice", "enough");

        foreach (var watch in new[] { first, later })
        {
            var completed = await watch.UntilTerminal();
            Assert.True(completed >= 2, $"only {completed} thoughts were seen written and completed");
            Assert.Equal(1, watch.Epoch);
        }

        Assert.Null(await grain.Watch("mallory", first.Reference, texts: true)); // texts are the owner's, like events
        var pushed = await eventsOnly.UntilTerminal(Deadline);
        Assert.Contains(pushed, e => e.Type == AgentEventTypes.Thinking);
        while (eventsOnly.Pushes.Reader.TryRead(out var push))
        {
            Assert.IsNotType<LiveTextBatch>(push); // a watcher that did not ask for texts gets none
        }

        fixture.Client.DeleteObjectReference<IExecutionWatcher>(eventsOnlyReference);
    }

    /// <summary>
    /// A watch that rebuilds every text from what it gets (whole at watch time, then pieces), checking each piece
    /// continues its text exactly, and each durable thought equals the text written for it.
    /// </summary>
    private sealed class TextWatch(AgentClusterFixture fixture, IExecutionWatcher reference, WatcherRecorder recorder, LiveTextBatch initial)
    {
        private readonly Dictionary<string, StringBuilder> _texts = [];
        private int _thoughts;

        public IExecutionWatcher Reference => reference;

        public long Epoch { get; private set; } = initial.Epoch;

        public static async Task<TextWatch> Start(AgentClusterFixture fixture, IExecutionGrain grain)
        {
            var recorder = new WatcherRecorder();
            var reference = fixture.Client.CreateObjectReference<IExecutionWatcher>(recorder);
            foreach (var silo in fixture.Cluster.Silos)
            {
                silo.ServiceProvider.GetRequiredService<LocalWatchers>().Add(reference, recorder); // whichever silo the grain is on
            }

            var initial = await grain.Watch("alice", reference, texts: true);
            Assert.NotNull(initial);
            var watch = new TextWatch(fixture, reference, recorder, initial);
            watch.Place(initial);
            return watch;
        }

        /// <summary>Reads pushes until <paramref name="count"/> thoughts were written and completed while watched.</summary>
        public async Task UntilThoughts(int count)
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (_thoughts < count)
            {
                Take(await recorder.Pushes.Reader.ReadAsync(timeout.Token));
            }
        }

        /// <summary>Reads pushes to the terminal event; returns the thoughts checked whole.</summary>
        public async Task<int> UntilTerminal()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            while (true)
            {
                var push = await recorder.Pushes.Reader.ReadAsync(timeout.Token);
                Take(push);
                if (push is AgentEvent { IsTerminal: true })
                {
                    foreach (var silo in fixture.Cluster.Silos)
                    {
                        silo.ServiceProvider.GetRequiredService<LocalWatchers>().Remove(reference);
                    }

                    fixture.Client.DeleteObjectReference<IExecutionWatcher>(reference);
                    return _thoughts;
                }
            }
        }

        private void Take(object push)
        {
            if (push is LiveTextBatch batch)
            {
                Assert.Equal(Epoch, batch.Epoch);
                Place(batch);
                return;
            }

            var evt = (AgentEvent)push;
            if (evt.Data is ThinkingData thinking && _texts.Remove(LiveTextIds.Thinking(thinking.Iteration), out var written))
            {
                Assert.Equal(thinking.Thought, written.ToString());
                _thoughts++;
            }
        }

        private void Place(LiveTextBatch batch)
        {
            foreach (var delta in batch.Deltas)
            {
                if (!_texts.TryGetValue(delta.TextId, out var text))
                {
                    _texts[delta.TextId] = text = new StringBuilder();
                }

                Assert.Equal(text.Length, delta.Offset);
                text.Append(delta.Text);
            }
        }
    }
}
