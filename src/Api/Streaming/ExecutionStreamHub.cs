using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// This node's live subscriptions, one per execution it serves (<see cref="ExecutionSubscription"/>): a connection
/// joins the execution's subscription (the first one makes it) and leaves it (the last one ends it). The node's sweep,
/// its shutdown and the loss of a silo reach every subscription through here.
/// </summary>
/// <param name="source">How live events reach this node.</param>
/// <param name="grains">The execution grain of an id.</param>
/// <param name="logger">Where subscription trouble is reported.</param>
/// <param name="textPacer">How connections are woken for live text (null: at once).</param>
public sealed partial class ExecutionStreamHub(
    ILiveSource source, Func<string, IExecutionGrain> grains, ILogger<ExecutionStreamHub> logger, TextPacer? textPacer = null) : IDisposable
{
    private readonly Dictionary<string, ExecutionSubscription> _subscriptions = new(StringComparer.Ordinal);
    private long _slowConsumersDisconnected;
    private long _logEndProbes;
    private long _recoveredWatches;
    private long _sweeps;
    private volatile bool _stopping;

    internal ILiveSource Source { get; } = source;

    internal ILogger Logger { get; } = logger;

    internal TextPacer TextPacer { get; } = textPacer ?? TextPacer.Unpaced;

    /// <summary>Recoveries in flight: a node that follows 50,000 executions when a silo dies sends 64 calls at a time, not 50,000.</summary>
    internal SemaphoreSlim Recoveries { get; } = new(64);

    internal bool Stopping => _stopping;

    /// <summary>Executions this node is subscribed to right now.</summary>
    public int SubscribedExecutions
    {
        get
        {
            lock (_subscriptions)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Connections cut because they did not read their live events in time.</summary>
    public long SlowConsumersDisconnected => Interlocked.Read(ref _slowConsumersDisconnected);

    /// <summary>Checks of an execution's log end: at most one per execution per catch-up interval, whatever its connection count.</summary>
    public long LogEndProbes => Interlocked.Read(ref _logEndProbes);

    /// <summary>Deliveries renewed after a failover (a gateway lost, or a failed check of the log).</summary>
    public long RecoveredWatches => Interlocked.Read(ref _recoveredWatches);

    /// <summary>Sweeps done since the node started.</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);

    /// <summary>Adds a connection of <paramref name="userId"/> (the owner) to the execution's subscription; dispose the result to leave.</summary>
    public async Task<Membership> Join(string executionId, string userId, LiveBuffer buffer)
    {
        ExecutionSubscription subscription;
        Task texts;
        lock (_subscriptions)
        {
            if (_stopping)
            {
                buffer.Close(); // the node is ending its streams: this one ends before it starts
            }

            if (!_subscriptions.TryGetValue(executionId, out subscription!))
            {
                subscription = new ExecutionSubscription(this, executionId, userId, grains(executionId), buffer.WantsTexts);
                _subscriptions[executionId] = subscription;
            }

            subscription.Add(buffer);
            texts = buffer.WantsTexts ? subscription.IncludeTexts() : Task.CompletedTask;
        }

        try
        {
            await subscription.Attached;
            await texts;
        }
        catch
        {
            await Leave(subscription, buffer);
            throw;
        }

        return new Membership(this, subscription, buffer);
    }

    /// <summary>
    /// Adds the connection only if this node already follows the execution live (its subscription is attached), and
    /// returns null otherwise. Everything appended from now on then reaches <paramref name="buffer"/>, so one log read
    /// after this covers the rest: a node's later connections to an execution need one read, not two.
    /// </summary>
    public Membership? TryJoinFollowed(string executionId, LiveBuffer buffer)
    {
        lock (_subscriptions)
        {
            if (_stopping || !_subscriptions.TryGetValue(executionId, out var subscription) || !subscription.Attached.IsCompletedSuccessfully
                || (buffer.WantsTexts && !subscription.IncludesTexts))
            {
                return null; // not followed yet, or not with texts: a join that waits for them, after the read
            }

            subscription.Add(buffer);
            return new Membership(this, subscription, buffer);
        }
    }

    /// <summary>
    /// A connection found events in the log that the live path never delivered (a silo died and took the delivery with
    /// it): renew the execution's delivery, once for all its connections.
    /// </summary>
    public async Task Resubscribe(string executionId)
    {
        ExecutionSubscription? subscription;
        lock (_subscriptions)
        {
            _subscriptions.TryGetValue(executionId, out subscription);
        }

        if (subscription is not null && await subscription.Renew())
        {
            LogResubscribed(Logger, executionId);
        }
    }

    /// <summary>One pass of the node's sweep over every subscription (see <c>ExecutionSubscription.Checks</c>).</summary>
    public void Sweep(TimeSpan catchUpInterval, TimeSpan heartbeatInterval, long now)
    {
        foreach (var subscription in Snapshot())
        {
            subscription.Sweep(now, catchUpInterval, heartbeatInterval);
        }

        Interlocked.Increment(ref _sweeps);
    }

    /// <summary>This node lost a silo's gateway: any execution it follows may have run on that silo.</summary>
    public void OnSiloLost()
    {
        var subscriptions = Snapshot();
        // Worth a warning only when it touches someone: not for a node that follows nothing, nor one that is stopping
        // (its own gateway connections close then).
        if (subscriptions.Length > 0 && !_stopping)
        {
            LogSiloLost(Logger, subscriptions.Length);
        }

        foreach (var subscription in subscriptions)
        {
            subscription.Recover();
        }
    }

    /// <summary>
    /// The node is stopping: end every stream now (each response ends cleanly and its client resumes, on any node, with
    /// its Last-Event-ID), and any stream that opens from now on at once.
    /// </summary>
    public void EndAllStreams()
    {
        ExecutionSubscription[] subscriptions;
        lock (_subscriptions)
        {
            _stopping = true;
            subscriptions = [.. _subscriptions.Values];
        }

        foreach (var subscription in subscriptions)
        {
            subscription.CloseAll();
        }
    }

    internal void CountSlowConsumer() => Interlocked.Increment(ref _slowConsumersDisconnected);

    internal void CountProbe() => Interlocked.Increment(ref _logEndProbes);

    internal void CountRecovered() => Interlocked.Increment(ref _recoveredWatches);

    public void Dispose() => Recoveries.Dispose();

    private ExecutionSubscription[] Snapshot()
    {
        lock (_subscriptions)
        {
            return [.. _subscriptions.Values];
        }
    }

    private async Task Leave(ExecutionSubscription subscription, LiveBuffer buffer)
    {
        buffer.Close();
        bool last;
        lock (_subscriptions)
        {
            last = subscription.Remove(buffer) && _subscriptions.Remove(subscription.ExecutionId);
        }

        if (last)
        {
            await subscription.Detach();
        }
    }

    /// <summary>A connection's place in a subscription; disposing it leaves.</summary>
    public sealed class Membership(ExecutionStreamHub hub, ExecutionSubscription subscription, LiveBuffer buffer) : IAsyncDisposable
    {
        private int _disposed;

        public ExecutionSubscription Subscription => subscription;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await hub.Leave(subscription, buffer);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: the live path missed events; subscribed again")]
    private static partial void LogResubscribed(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost a silo's gateway; checking the {Count} executions this node follows until they answer")]
    private static partial void LogSiloLost(ILogger logger, int count);
}
