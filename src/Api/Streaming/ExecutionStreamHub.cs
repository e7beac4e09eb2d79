using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// One live subscription per execution per API node (a watch on the execution grain, or its Orleans stream: see
/// <see cref="SseOptions.LiveSource"/>), shared by all of the node's connections to that execution: each live event is
/// serialized once here and offered to every connection's <see cref="LiveBuffer"/>. The subscription is made by the
/// first connection and removed when the last one leaves.
/// </summary>
/// <param name="client">The cluster.</param>
/// <param name="options">Stream settings.</param>
/// <param name="logger">Where subscription trouble is reported.</param>
/// <param name="localWatchers">Present when this node co-hosts a silo: grains on it then push to this node in-process.</param>
public sealed partial class ExecutionStreamHub(
    IClusterClient client, IOptions<SseOptions> options, ILogger<ExecutionStreamHub> logger, IInProcessWatchers? localWatchers = null) : IDisposable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IClusterClient _client = client;
    private readonly IInProcessWatchers? _localWatchers = options.Value.InProcessPush ? localWatchers : null;
    private readonly LiveEventSource _source = options.Value.LiveSource;
    private readonly ILogger _logger = logger;

    /// <summary>Executions this node is subscribed to right now.</summary>
    public int SubscribedExecutions
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Connections cut because they did not read their live events in time.</summary>
    public long SlowConsumersDisconnected => Interlocked.Read(ref _slowConsumersDisconnected);

    private long _slowConsumersDisconnected;

    /// <summary>Adds a connection of <paramref name="userId"/> (the owner) to the execution's fan-out; dispose the result to leave.</summary>
    public async Task<IAsyncDisposable> Join(string executionId, string userId, LiveBuffer buffer)
    {
        Entry entry;
        lock (_entries)
        {
            if (_stopping)
            {
                buffer.Close(); // the node is ending its streams: this one ends before it starts
            }

            if (!_entries.TryGetValue(executionId, out entry!))
            {
                entry = new Entry(this, executionId, userId);
                _entries[executionId] = entry;
            }

            entry.Add(buffer);
        }

        try
        {
            await entry.Subscribed;
        }
        catch
        {
            await Leave(entry, buffer);
            throw;
        }

        return new Membership(this, entry, buffer);
    }

    /// <summary>
    /// Adds the connection only if this node already follows the execution live (its subscription is in place), and
    /// returns null otherwise. Everything appended from now on then reaches <paramref name="buffer"/>, so one log
    /// read after this covers the rest: a node's later connections to an execution need one read, not two.
    /// </summary>
    public IAsyncDisposable? TryJoinFollowed(string executionId, LiveBuffer buffer)
    {
        lock (_entries)
        {
            if (_stopping || !_entries.TryGetValue(executionId, out var entry) || !entry.Subscribed.IsCompletedSuccessfully)
            {
                return null;
            }

            entry.Add(buffer);
            return new Membership(this, entry, buffer);
        }
    }

    internal void CountSlowConsumer() => Interlocked.Increment(ref _slowConsumersDisconnected);

    /// <summary>
    /// A connection found events in the log that the live stream never delivered (a silo died and took the
    /// subscription or its queue with it): replace the execution's subscription, once for all its connections.
    /// </summary>
    public async Task Resubscribe(string executionId)
    {
        Entry? entry;
        lock (_entries)
        {
            _entries.TryGetValue(executionId, out entry);
        }

        if (entry is not null && await entry.Resubscribe())
        {
            LogResubscribed(_logger, executionId);
        }
    }

    private async Task Leave(Entry entry, LiveBuffer buffer)
    {
        buffer.Close();
        bool last;
        lock (_entries)
        {
            last = entry.Remove(buffer) && _entries.Remove(entry.ExecutionId);
        }

        if (last)
        {
            await entry.Unsubscribe();
        }
    }

    private sealed class Membership(ExecutionStreamHub hub, Entry entry, LiveBuffer buffer) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await hub.Leave(entry, buffer);
            }
        }
    }

    private sealed partial class Entry : IAsyncObserver<AgentEvent>, IExecutionWatcher
    {
        private readonly ExecutionStreamHub _hub;
        private readonly string _userId;
        private readonly List<LiveBuffer> _buffers = [];
        private LiveBuffer[] _snapshot = [];

        public Entry(ExecutionStreamHub hub, string executionId, string userId)
        {
            _hub = hub;
            _userId = userId;
            ExecutionId = executionId;
            Subscribed = Subscribe();
        }

        public string ExecutionId { get; }

        /// <summary>Completes once subscribed, with what ends the subscription.</summary>
        public Task<Func<Task>> Subscribed { get; private set; }

        private int _resubscribing;

        // The grain forgets its watchers when it pushes the terminal batch, so after that an unwatch is a wasted call
        // (and, once the finished grain is collected, one that would activate it again only to do nothing).
        private bool _pushedTerminal;

        private IExecutionWatcher? _watcher; // what the grain pushes to; watched again after a failover

        /// <summary>Replaces the subscription unless another connection is already doing it. True when this call did.</summary>
        public async Task<bool> Resubscribe()
        {
            if (Interlocked.Exchange(ref _resubscribing, 1) == 1)
            {
                return false;
            }

            try
            {
                await Unsubscribe();
                Subscribed = Subscribe();
                await Subscribed;
                return true;
            }
            finally
            {
                Volatile.Write(ref _resubscribing, 0);
            }
        }

        /// <summary>Called under the hub's lock.</summary>
        public void Add(LiveBuffer buffer)
        {
            _buffers.Add(buffer);
            _snapshot = [.. _buffers];
        }

        /// <summary>Called under the hub's lock; true when that was the last buffer.</summary>
        public bool Remove(LiveBuffer buffer)
        {
            _buffers.Remove(buffer);
            _snapshot = [.. _buffers];
            return _buffers.Count == 0;
        }

        public async Task Unsubscribe()
        {
            try
            {
                await (await Subscribed)();
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                // The silo is going away (shutdown or crash) and takes the subscription with it.
                LogUnsubscribeFailed(_hub._logger, ex, ExecutionId);
            }
        }

        /// <summary>The stream source: one event per call.</summary>
        public Task OnNextAsync(AgentEvent item, StreamSequenceToken? token = null)
        {
            Offer(item);
            return Task.CompletedTask;
        }

        /// <summary>The push source: each durable batch in one call.</summary>
        public Task OnEvents(ImmutableArray<AgentEvent> events)
        {
            foreach (var evt in events)
            {
                Offer(evt);
            }

            if (!events.IsEmpty && events[^1].IsTerminal)
            {
                Volatile.Write(ref _pushedTerminal, true);
            }

            return Task.CompletedTask;
        }

        /// <summary>Serializes the event once and hands it to every connection's buffer.</summary>
        private void Offer(AgentEvent evt)
        {
            var shared = SerializedEvent.From(evt);
            foreach (var buffer in Volatile.Read(ref _snapshot))
            {
                var wasOverflowed = buffer.Overflowed;
                buffer.Offer(shared);
                if (!wasOverflowed && buffer.Overflowed)
                {
                    _hub.CountSlowConsumer();
                }
            }
        }

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

        private Task<Func<Task>> Subscribe() => _hub._source == LiveEventSource.Push ? Watch() : SubscribeToStream();

        private async Task<Func<Task>> Watch()
        {
            var grain = _hub._client.GetGrain<IExecutionGrain>(ExecutionId);
            var watcher = _hub._client.CreateObjectReference<IExecutionWatcher>(this);
            _hub._localWatchers?.Add(watcher, this);
            try
            {
                // False only if the execution vanished for its owner; the connection's log reads then end it.
                await grain.Watch(_userId, watcher);
                _watcher = watcher;
            }
            catch
            {
                Forget(watcher);
                throw;
            }

            return async () =>
            {
                try
                {
                    if (!Volatile.Read(ref _pushedTerminal))
                    {
                        await grain.Unwatch(watcher);
                    }
                }
                finally
                {
                    Forget(watcher);
                }
            };
        }

        private void Forget(IExecutionWatcher watcher)
        {
            _hub._localWatchers?.Remove(watcher);
            _hub._client.DeleteObjectReference<IExecutionWatcher>(watcher);
        }

        /// <summary>Subscribes, then asks the grain to publish: every batch made durable after that reaches this node.</summary>
        private async Task<Func<Task>> SubscribeToStream()
        {
            var handle = await _hub._client.GetStreamProvider(AgentStreams.ProviderName)
                .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, ExecutionId))
                .SubscribeAsync(this);
            try
            {
                // False only if the execution vanished for its owner; the connection's log reads then end it.
                await _hub._client.GetGrain<IExecutionGrain>(ExecutionId).FollowStream(_userId);
            }
            catch
            {
                await handle.UnsubscribeAsync();
                throw;
            }

            return () => handle.UnsubscribeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: the live stream missed events; subscribed again")]
    private static partial void LogResubscribed(ILogger logger, string executionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribing from execution {ExecutionId} failed; its silo is gone")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception exception, string executionId);
}
