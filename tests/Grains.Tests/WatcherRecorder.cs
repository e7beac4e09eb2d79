using System.Collections.Immutable;
using System.Threading.Channels;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

/// <summary>A watcher that records what an execution pushes to it: durable batches and pieces of live text, in arrival order.</summary>
public sealed class WatcherRecorder : IExecutionWatcher
{
    public Channel<AgentEvent> Events { get; } = Channel.CreateUnbounded<AgentEvent>();

    /// <summary>Everything pushed, in order: an <see cref="AgentEvent"/> or a <see cref="LiveTextBatch"/>.</summary>
    public Channel<object> Pushes { get; } = Channel.CreateUnbounded<object>();

    public Task OnEvents(ImmutableArray<AgentEvent> events)
    {
        foreach (var evt in events)
        {
            Events.Writer.TryWrite(evt);
            Pushes.Writer.TryWrite(evt);
        }

        return Task.CompletedTask;
    }

    public Task OnText(LiveTextBatch batch)
    {
        Pushes.Writer.TryWrite(batch);
        return Task.CompletedTask;
    }

    public Task<List<AgentEvent>> UntilTerminal(TimeSpan deadline) => Events.Reader.UntilTerminal(deadline);
}
