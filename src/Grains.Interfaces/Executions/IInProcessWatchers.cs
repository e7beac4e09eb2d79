namespace Orleans.Agent.Executions;

/// <summary>
/// On an API node that co-hosts a silo: the watchers of this process, registered by the node so that grains activated
/// on its silo call them directly instead of sending each push as a message.
/// </summary>
public interface IInProcessWatchers
{
    /// <summary>Makes <paramref name="target"/> reachable in-process through <paramref name="reference"/>.</summary>
    void Add(IExecutionWatcher reference, IExecutionWatcher target);

    void Remove(IExecutionWatcher reference);
}
