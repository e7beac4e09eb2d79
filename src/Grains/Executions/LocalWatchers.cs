using System.Collections.Concurrent;
using Orleans.Agent.Executions;
using Orleans.Runtime;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// Watchers that live in this process: an API node that co-hosts the silo (the local default) registers the
/// target behind each watcher reference it hands to a grain. A grain activated on this silo then gives such a
/// watcher its batches by a method call instead of a one-way message through the runtime: the message costs more
/// CPU than everything else a delivered event needs on a node. The target is the same object the message would
/// have reached, so ordering and what a lost push means (the log fills it) do not change; watchers on other
/// processes still get messages.
/// </summary>
public sealed class LocalWatchers : IInProcessWatchers
{
    private readonly ConcurrentDictionary<GrainId, IExecutionWatcher> _targets = new();

    public void Add(IExecutionWatcher reference, IExecutionWatcher target) => _targets[reference.GetGrainId()] = target;

    public void Remove(IExecutionWatcher reference) => _targets.TryRemove(reference.GetGrainId(), out _);

    /// <summary>The in-process target behind <paramref name="reference"/>, or the reference itself (a message).</summary>
    public IExecutionWatcher Resolve(IExecutionWatcher reference) =>
        _targets.TryGetValue(reference.GetGrainId(), out var target) ? target : reference;
}
