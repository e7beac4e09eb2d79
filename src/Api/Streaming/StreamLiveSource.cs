using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Runtime;
using Orleans.Streams;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// <see cref="LiveEventSource.Stream"/>: this node subscribes to the execution's Orleans stream, then asks the grain to
/// publish on it (<see cref="IExecutionGrain.FollowStream"/>), so every batch made durable after that reaches it.
/// </summary>
public sealed class StreamLiveSource(IClusterClient client) : ILiveSource
{
    /// <summary>The stream carries durable batches only: <paramref name="texts"/> is not served on this live source.</summary>
    public async Task<ILiveAttachment> Attach(string executionId, string userId, IExecutionWatcher target, bool texts)
    {
        var subscription = new Subscription(client, executionId, userId, target);
        await subscription.Subscribe();
        return subscription;
    }

    private sealed class Subscription(IClusterClient client, string executionId, string userId, IExecutionWatcher target)
        : ILiveAttachment, IAsyncObserver<AgentEvent>
    {
        private StreamSubscriptionHandle<AgentEvent>? _handle;

        public async Task Subscribe()
        {
            var handle = await client.GetStreamProvider(AgentStreams.ProviderName)
                .GetStream<AgentEvent>(StreamId.Create(AgentStreams.Namespace, executionId))
                .SubscribeAsync(this);
            try
            {
                // False only if the execution vanished for its owner; the connection's log reads then end it.
                await client.GetGrain<IExecutionGrain>(executionId).FollowStream(userId);
            }
            catch
            {
                await handle.UnsubscribeAsync();
                throw;
            }

            _handle = handle;
        }

        /// <summary>A new subscription: the old one may have died with its pulling agent's silo.</summary>
        public async Task Renew()
        {
            await Detach(ended: false);
            await Subscribe();
        }

        public Task IncludeTexts() => Task.CompletedTask;

        public async Task Detach(bool ended)
        {
            if (Interlocked.Exchange(ref _handle, null) is { } handle)
            {
                await handle.UnsubscribeAsync();
            }
        }

        public Task OnNextAsync(AgentEvent item, StreamSequenceToken? token = null) => target.OnEvents([item]);

        public Task OnCompletedAsync() => Task.CompletedTask;

        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
    }
}
