using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// How this node gets an execution's live events (<see cref="SseOptions.LiveSource"/>): attached once per execution
/// per node, whatever its number of connections, by its <see cref="ExecutionSubscription"/>.
/// </summary>
public interface ILiveSource
{
    /// <summary>
    /// Starts handing the execution's durable batches to <paramref name="target"/>, as its owner <paramref name="userId"/>,
    /// and with <paramref name="texts"/> the texts being written too (whole at once, then piece by piece).
    /// </summary>
    Task<ILiveAttachment> Attach(string executionId, string userId, IExecutionWatcher target, bool texts);
}

/// <summary>One execution's live events flowing to this node.</summary>
public interface ILiveAttachment
{
    /// <summary>
    /// After a failover, or when the live path fell silent while the log moved on: has the execution (its current
    /// activation) deliver again. Idempotent.
    /// </summary>
    Task Renew();

    /// <summary>From now on, the texts being written too: whole at once, then piece by piece. Idempotent.</summary>
    Task IncludeTexts();

    /// <summary>
    /// Stops the delivery. <paramref name="ended"/>: the terminal batch was delivered, so the execution already
    /// forgot this node and no call is needed.
    /// </summary>
    Task Detach(bool ended);
}
