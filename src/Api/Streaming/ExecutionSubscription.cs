using System.Collections.Immutable;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// This node's one subscription to one execution, shared by all of the node's connections to it: attached through the
/// <see cref="ILiveSource"/> by the first connection and detached when the last one leaves. Each live event is
/// serialized once here and offered to every connection's <see cref="LiveBuffer"/>; the texts being written are kept
/// here once (<see cref="LiveTexts"/>) and the connections that asked for them are woken to take their part. Its checks (heartbeats, a probe of
/// the log's end, recovery after a failover) are in <c>ExecutionSubscription.Checks.cs</c>.
/// </summary>
public sealed partial class ExecutionSubscription : IExecutionWatcher
{
    private readonly ExecutionStreamHub _hub;
    private readonly IExecutionGrain _grain;
    private readonly string _userId;
    private readonly List<LiveBuffer> _buffers = [];
    private LiveBuffer[] _connections = [];
    private int _renewing;

    // The frames this node built lately, by sequence, from the time a second connection follows the execution:
    // connections that open together read the same first page, and each would otherwise serialize all of it again.
    private const int RecentFrames = 16;
    private SerializedEvent?[]? _recent;

    // The grain forgets its watchers when it pushes the terminal batch, so after that a detach needs no call (and, once
    // the finished grain is collected, a call would activate it again only to do nothing).
    private bool _deliveredTerminal;

    // Texts are delivered to this node once a connection asked for them: completes when they flow (null: not asked).
    private Task? _textsIncluded;

    /// <summary>Attaches at once; <paramref name="texts"/>: the texts being written too, from the start (the first connection asked for them).</summary>
    public ExecutionSubscription(ExecutionStreamHub hub, string executionId, string userId, IExecutionGrain grain, bool texts)
    {
        _hub = hub;
        _grain = grain;
        _userId = userId;
        ExecutionId = executionId;
        Attached = _hub.Source.Attach(executionId, userId, this, texts);
        _textsIncluded = texts ? Attached : null;
    }

    /// <summary>True when the texts being written reach this node already.</summary>
    public bool IncludesTexts => _textsIncluded is { IsCompletedSuccessfully: true };

    /// <summary>
    /// Called under the hub's lock by a connection that wants the texts: they flow (whole, then piece by piece) once
    /// the result completes. One request for all connections; a failed one is made again by the next.
    /// </summary>
    public Task IncludeTexts()
    {
        if (_textsIncluded is null or { IsFaulted: true } or { IsCanceled: true })
        {
            _textsIncluded = IncludeTextsNow();
        }

        return _textsIncluded;
    }

    private async Task IncludeTextsNow() => await (await Attached).IncludeTexts();

    public string ExecutionId { get; }

    /// <summary>Completes once the live events flow to this node (faults if attaching failed).</summary>
    public Task<ILiveAttachment> Attached { get; private set; }

    /// <summary>The connections now, for reading without the hub's lock.</summary>
    public LiveBuffer[] Connections => Volatile.Read(ref _connections);

    /// <summary>The execution's texts being written, as this node knows them.</summary>
    public LiveTexts Texts { get; } = new();

    /// <summary>Called under the hub's lock.</summary>
    public void Add(LiveBuffer buffer)
    {
        if (buffer.WantsTexts)
        {
            buffer.Texts = Texts;
        }

        _buffers.Add(buffer);
        Volatile.Write(ref _connections, [.. _buffers]);
        if (_buffers.Count > 1 && _recent is null)
        {
            Volatile.Write(ref _recent, new SerializedEvent?[RecentFrames]);
        }
    }

    /// <summary>Called under the hub's lock; true when that was the last connection.</summary>
    public bool Remove(LiveBuffer buffer)
    {
        _buffers.Remove(buffer);
        Volatile.Write(ref _connections, [.. _buffers]);
        return _buffers.Count == 0;
    }

    /// <summary>Each durable batch, in one call: serialized once per event, offered to every connection.</summary>
    public Task OnEvents(ImmutableArray<AgentEvent> events)
    {
        var connections = Connections; // one read per batch, not per event
        foreach (var evt in events)
        {
            if (evt.IsTerminal || evt.Data is ThinkingData or ExecutionCompleteData)
            {
                Texts.Observe(evt);
            }

            var shared = Serialize(evt);
            foreach (var buffer in connections)
            {
                var wasOverflowed = buffer.Overflowed;
                buffer.Offer(shared);
                if (!wasOverflowed && buffer.Overflowed)
                {
                    _hub.CountSlowConsumer();
                }
            }
        }

        if (!events.IsEmpty && events[^1].IsTerminal)
        {
            Volatile.Write(ref _deliveredTerminal, true);
        }

        return Task.CompletedTask;
    }

    /// <summary>The frame of <paramref name="evt"/>: the one built for another connection of this node, if it is recent.</summary>
    public SerializedEvent Serialize(AgentEvent evt)
    {
        var recent = Volatile.Read(ref _recent);
        if (recent is null)
        {
            return SerializedEvent.From(evt); // one connection: nobody to share with
        }

        // A sequence names one durable event for good, so a frame found under it is that event's.
        ref var slot = ref recent[evt.Sequence & (RecentFrames - 1)];
        if (Volatile.Read(ref slot) is { } known && known.Sequence == evt.Sequence)
        {
            return known;
        }

        var serialized = SerializedEvent.From(evt);
        Volatile.Write(ref slot, serialized);
        return serialized;
    }

    /// <summary>Pieces of texts being written: kept once, and every connection that wants them is woken (in its turn, under load) to take its part.</summary>
    public Task OnText(LiveTextBatch batch)
    {
        if (!Texts.Apply(batch))
        {
            _ = RenewQuietly(); // a piece went missing: watching again brings every text whole
        }

        foreach (var buffer in Connections)
        {
            if (buffer.WantsTexts)
            {
                _hub.TextPacer.Wake(buffer);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Has the execution deliver again, unless another connection is already doing it. True when this call did.</summary>
    public async Task<bool> Renew()
    {
        if (Interlocked.Exchange(ref _renewing, 1) == 1)
        {
            return false;
        }

        try
        {
            await (await Attached).Renew();
            return true;
        }
        finally
        {
            Volatile.Write(ref _renewing, 0);
        }
    }

    private async Task RenewQuietly()
    {
        try
        {
            await Renew();
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogTextRenewFailed(_hub.Logger, ex, ExecutionId); // the texts catch up at the next renewal or event
        }
    }

    /// <summary>The last connection left: stop the delivery. A silo that is gone takes the delivery with it.</summary>
    public async Task Detach()
    {
        try
        {
            await (await Attached).Detach(Volatile.Read(ref _deliveredTerminal));
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            LogDetachFailed(_hub.Logger, ex, ExecutionId);
        }
    }

    /// <summary>Ends every connection's wait: they end their responses, and their clients resume elsewhere.</summary>
    public void CloseAll()
    {
        foreach (var buffer in Connections)
        {
            buffer.Close();
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Execution {ExecutionId}: a piece of live text went missing and watching again failed")]
    private static partial void LogTextRenewFailed(ILogger logger, Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Unsubscribing from execution {ExecutionId} failed; its silo is gone")]
    private static partial void LogDetachFailed(ILogger logger, Exception exception, string executionId);
}
