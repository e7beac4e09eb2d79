using System.Runtime.InteropServices;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// The live path: API nodes watching this execution get each durable batch by a one-way call; the execution's Orleans
/// stream carries the batches only once a subscriber asked for it (<see cref="FollowStream"/>), so an execution nobody
/// follows by stream costs no stream message, pub-sub rendezvous or PubSubStore write.
/// </summary>
public sealed partial class ExecutionGrain
{
    // A watcher whose API node died is dropped at the terminal event or with the activation, whichever comes first;
    // one-way calls to it cost nothing but the send meanwhile.
    // Keyed by the reference the node handed over; the value is what the pushes go to, resolved once at Watch: an
    // in-process target on a co-hosting node (see LocalWatchers), else the reference itself.
    private readonly Dictionary<IExecutionWatcher, IExecutionWatcher> _watchers = [];

    private IAsyncStream<AgentEvent>? _stream; // set once a stream subscriber asked for the batches

    public Task<bool> Watch(string requesterId, IExecutionWatcher watcher)
    {
        if (!IsOwner(requesterId))
        {
            return Task.FromResult(false);
        }

        if (!_snapshot!.IsTerminal)
        {
            _watchers[watcher] = localWatchers.Resolve(watcher);
        }

        return Task.FromResult(true);
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
        _watchers.Remove(watcher);
        return Task.CompletedTask;
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

    /// <summary>Publishes a durable batch on the stream, if a subscriber asked for it: one message per batch, not per event.</summary>
    private async Task PublishOnStream(AgentEvent[] events)
    {
        if (_stream is null)
        {
            return;
        }

        try
        {
            await _stream.OnNextBatchAsync(events);
        }
        catch (Exception ex)
        {
            LogPublishFailed(ex, ExecutionId, events[0].Sequence); // the subscriber reads it from the log
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
        foreach (var target in _watchers.Values)
        {
            _ = target.OnEvents(batch); // one-way: completes at once; a lost push is read from the log
        }

        if (events[^1].IsTerminal)
        {
            _watchers.Clear();
        }
    }
}
