using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// <see cref="LiveEventSource.Push"/>: the execution grain calls this node with each durable batch (one-way). On a node
/// that co-hosts the silo, grains there call the target in-process (<see cref="IInProcessWatchers"/>).
/// </summary>
public sealed class PushLiveSource(IClusterClient client, IInProcessWatchers? inProcess) : ILiveSource
{
    public async Task<ILiveAttachment> Attach(string executionId, string userId, IExecutionWatcher target, bool texts)
    {
        var grain = client.GetGrain<IExecutionGrain>(executionId);
        var watcher = client.CreateObjectReference<IExecutionWatcher>(target);
        inProcess?.Add(watcher, target);
        var attachment = new Watch(client, inProcess, grain, userId, watcher, target) { Texts = texts };
        try
        {
            await attachment.Renew();
            return attachment;
        }
        catch
        {
            attachment.Forget();
            throw;
        }
    }

    private sealed class Watch(
        IClusterClient client, IInProcessWatchers? inProcess, IExecutionGrain grain, string userId, IExecutionWatcher watcher,
        IExecutionWatcher target) : ILiveAttachment
    {
        /// <summary>
        /// The same reference again, on whichever activation answers: a watch is idempotent, and brings the texts being
        /// written whole. Null only if the execution vanished for its owner; the connection's log reads then end it.
        /// </summary>
        public async Task Renew()
        {
            if (await grain.Watch(userId, watcher, Texts) is { } texts)
            {
                await target.OnText(texts);
            }
        }

        /// <summary>Whether the grain pushes the texts being written here too.</summary>
        public bool Texts { get; set; }

        public Task IncludeTexts()
        {
            Texts = true;
            return Renew();
        }

        public async Task Detach(bool ended)
        {
            try
            {
                if (!ended)
                {
                    await grain.Unwatch(watcher);
                }
            }
            finally
            {
                Forget();
            }
        }

        public void Forget()
        {
            inProcess?.Remove(watcher);
            client.DeleteObjectReference<IExecutionWatcher>(watcher);
        }
    }
}
