using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// The live path: API nodes watching this execution get each durable batch by a one-way call; the execution's Orleans
/// stream carries the batches only once a subscriber asked for it (<see cref="FollowStream"/>), so an execution nobody
/// follows by stream costs no stream message, pub-sub rendezvous or PubSubStore write.
/// Texts being written (<see cref="LiveTextIds"/>) are pushed piece by piece, as the loop writes them, to the watchers
/// that asked for them, and kept here whole until the durable event that holds each one is in the log, so a watcher
/// that comes later gets them whole (<see cref="Watch"/>). They are never in the log: a run cut by a failure loses
/// them, and the next run (a later <see cref="LiveTextBatch.Epoch"/>) writes its own.
/// </summary>
public sealed partial class ExecutionGrain
{
    // A watcher whose API node died is dropped at the terminal event or with the activation, whichever comes first;
    // one-way calls to it cost nothing but the send meanwhile.
    // Keyed by the reference the node handed over; the value is what the pushes go to, resolved once at Watch (an
    // in-process target on a co-hosting node, see LocalWatchers, else the reference itself), and whether it takes texts.
    private readonly Dictionary<IExecutionWatcher, (IExecutionWatcher Target, bool Texts)> _watchers = [];
    private int _textWatchers;

    private IAsyncStream<AgentEvent>? _stream; // set once a stream subscriber asked for the batches

    private readonly Dictionary<string, StringBuilder> _texts = new(StringComparer.Ordinal); // being written, not yet durable

    private long Epoch => state.State.Runs;

    public Task<LiveTextBatch?> Watch(string requesterId, IExecutionWatcher watcher, bool texts = false)
    {
        if (!IsOwner(requesterId))
        {
            return Task.FromResult<LiveTextBatch?>(null);
        }

        if (!Snapshot!.IsTerminal)
        {
            Forget(watcher);
            _watchers[watcher] = (localWatchers.Resolve(watcher), texts);
            _textWatchers += texts ? 1 : 0;
        }

        var whole = texts ? _texts.Select(t => new TextDelta(t.Key, 0, t.Value.ToString())).ToImmutableArray() : [];
        return Task.FromResult<LiveTextBatch?>(new LiveTextBatch(Epoch, whole));
    }

    public Task<bool> FollowStream(string requesterId)
    {
        if (!IsOwner(requesterId))
        {
            return Task.FromResult(false);
        }

        PublishOnStreamFromNowOn();
        return Task.FromResult(true);
    }

    public Task Unwatch(IExecutionWatcher watcher)
    {
        Forget(watcher);
        return Task.CompletedTask;
    }

    private void Forget(IExecutionWatcher watcher)
    {
        if (_watchers.Remove(watcher, out var watch) && watch.Texts)
        {
            _textWatchers--;
        }
    }

    private void PublishOnStreamFromNowOn()
    {
        try
        {
            _stream ??= this.GetStreamProvider(AgentStreams.ProviderName)
                .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, ExecutionId));
        }
        catch (KeyNotFoundException ex)
        {
            throw new InvalidOperationException("This silo hosts no execution streams (Silo:Streams=false), which a stream subscriber needs.", ex);
        }
    }

    /// <summary>
    /// Publishes a durable batch on the stream, if a subscriber asked for it: one message per batch, not per event, in
    /// parts of at most <see cref="StreamMessageBytes"/>. A memory-stream queue caches each message in a 1 MiB block and
    /// fails the whole read on a larger one, losing what that read took off the queue (other executions' events too)
    /// and pausing the queue 10-20 s. An event too large for any message is left to the log.
    /// </summary>
    private async Task PublishOnStream(AgentEvent[] events)
    {
        if (_stream is null)
        {
            return;
        }

        for (var start = 0; start < events.Length;)
        {
            var count = EventSize.Fit(events.AsSpan(start), StreamMessageBytes);
            if (count == 1 && EventSize.Estimate(events[start]) is var bytes && bytes > StreamEventBytes)
            {
                LogTooLargeForStream(ExecutionId, events[start].Sequence, bytes);
            }
            else
            {
                try
                {
                    await _stream.OnNextBatchAsync(new ArraySegment<AgentEvent>(events, start, count));
                }
                catch (Exception ex)
                {
                    LogPublishFailed(ex, ExecutionId, events[start].Sequence); // the subscriber reads it from the log
                }
            }

            start += count;
        }
    }

    /// <summary>The loop wrote text: keep it until its durable event, and hand the pieces now to the watchers that take texts.</summary>
    private void WriteText(IReadOnlyList<TextDelta> deltas)
    {
        if (_sealed)
        {
            return; // the run is over (or handed on): what it still streams is never shown
        }

        foreach (var delta in deltas)
        {
            if (!_texts.TryGetValue(delta.TextId, out var text))
            {
                _texts[delta.TextId] = text = new StringBuilder();
            }

            if (delta.Offset != text.Length)
            {
                throw new InvalidOperationException($"A delta of {delta.TextId} at {delta.Offset} does not continue its text ({text.Length} characters).");
            }

            text.Append(delta.Text);
        }

        if (_textWatchers == 0)
        {
            return;
        }

        var batch = new LiveTextBatch(Epoch, [.. deltas]); // the loop reuses its list
        foreach (var (target, texts) in _watchers.Values)
        {
            if (texts)
            {
                _ = target.OnText(batch); // one-way, like the events; a watcher that missed a piece asks again (Watch)
            }
        }
    }

    /// <summary>A durable batch is visible: the texts it completes are no longer being written (a terminal event ends all).</summary>
    private void CompleteTexts(AgentEvent[] events)
    {
        if (_texts.Count == 0)
        {
            return;
        }

        foreach (var evt in events)
        {
            if (evt.IsTerminal)
            {
                _texts.Clear();
            }
            else if (LiveTextIds.CompletedBy(evt) is { } textId)
            {
                _texts.Remove(textId);
            }
        }
    }

    /// <summary>Hands a durable batch to every watcher without waiting for them.</summary>
    private void PushToWatchers(AgentEvent[] events)
    {
        if (_watchers.Count == 0)
        {
            return;
        }

        var batch = ImmutableCollectionsMarshal.AsImmutableArray(events); // no copy: nothing writes to a flushed batch
        foreach (var (target, _) in _watchers.Values)
        {
            _ = target.OnEvents(batch); // one-way: completes at once; a lost push is read from the log
        }

        if (events[^1].IsTerminal)
        {
            _watchers.Clear();
            _textWatchers = 0;
        }
    }
}
