using System.Text.Json;
using System.Threading.Channels;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Bench;

/// <summary>One execution's events, serialized once, kept in memory and pushed to every connection watching it.</summary>
public sealed class BaselineExecution(string id)
{
    private readonly List<Frame> _frames = [];
    private readonly List<ChannelWriter<Frame>> _watchers = [];

    public string Id { get; } = id;

    /// <summary>Fires on cancel: the workload stops and the run appends <c>execution:cancelled</c>.</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>An event as the connections write it.</summary>
    public sealed record Frame(long Sequence, string Type, byte[] Json, bool IsTerminal);

    public Task Append(AgentEventData data)
    {
        lock (_frames)
        {
            var evt = new AgentEvent(Id, _frames.Count + 1, data.EventType, DateTimeOffset.UtcNow, data);
            var frame = new Frame(evt.Sequence, evt.Type, JsonSerializer.SerializeToUtf8Bytes(evt, AgentJson.Options), evt.IsTerminal);
            _frames.Add(frame);
            foreach (var watcher in _watchers)
            {
                watcher.TryWrite(frame);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Everything after <paramref name="afterSequence"/>: what exists now, then what is appended, in order.</summary>
    public ChannelReader<Frame> Watch(long afterSequence, out Action stopWatching)
    {
        var channel = Channel.CreateUnbounded<Frame>(new UnboundedChannelOptions { SingleReader = true });
        lock (_frames)
        {
            for (var i = (int)Math.Max(afterSequence, 0); i < _frames.Count; i++)
            {
                channel.Writer.TryWrite(_frames[i]);
            }

            _watchers.Add(channel.Writer);
        }

        stopWatching = () =>
        {
            lock (_frames)
            {
                _watchers.Remove(channel.Writer);
            }
        };
        return channel.Reader;
    }
}
