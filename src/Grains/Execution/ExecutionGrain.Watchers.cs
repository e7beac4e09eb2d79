using System.Runtime.InteropServices;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Execution;

/// <summary>The push path: API nodes watching this execution get each durable batch by a one-way call.</summary>
public sealed partial class ExecutionGrain
{
    // A watcher whose API node died is dropped at the terminal event or with the activation, whichever comes first;
    // one-way calls to it cost nothing but the send meanwhile.
    // Keyed by the reference the node handed over; the value is what the pushes go to, resolved once at Watch: an
    // in-process target on a co-hosting node (see LocalWatchers), else the reference itself.
    private readonly Dictionary<IExecutionWatcher, IExecutionWatcher> _watchers = [];

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

    public Task Unwatch(IExecutionWatcher watcher)
    {
        _watchers.Remove(watcher);
        return Task.CompletedTask;
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
