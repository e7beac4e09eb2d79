using Orleans.Agent.Events;
using Orleans.Agent.Executions;

namespace Orleans.Agent.Execution;

/// <summary>The grain's group commit: queue, flush in batches, fold, push and publish, and finish a sealed log.</summary>
public sealed partial class ExecutionGrain
{
    /// <summary>Appends and waits until the event is durable, unless the log is already sealed. True when this call appended it.</summary>
    private async Task<bool> TryAppendDurably(AgentEventData data)
    {
        try
        {
            await Append(data, waitUntilDurable: true);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Queues an event with the next sequence. Returns once queued (or, past <see cref="MaxPendingEvents"/>, once the
    /// queue has drained), or once durable when asked. Throws <see cref="OperationCanceledException"/> when a
    /// terminal event is already queued: nothing may follow it.
    /// </summary>
    private Task Append(AgentEventData data, bool waitUntilDurable = false)
    {
        if (_sealed)
        {
            throw new OperationCanceledException($"Execution {ExecutionId} has already ended.");
        }

        var evt = new AgentEvent(ExecutionId, _nextSequence++, data.EventType, DateTimeOffset.UtcNow, data);
        _sealed = evt.IsTerminal;
        _pending.Add(evt);
        var durable = _pendingDurable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_flushing is null or { IsCompleted: true })
        {
            _flushing = Flush();
        }

        return waitUntilDurable || _pending.Count >= MaxPendingEvents ? durable.Task : Task.CompletedTask;
    }

    /// <summary>Completes when everything queued so far is durable and published.</summary>
    private async Task WhenDurable()
    {
        while (_flushing is { IsCompleted: false } flushing)
        {
            await flushing;
        }
    }

    /// <summary>
    /// Writes the queue in batches until it is empty. The stream is only the fast path: a failed publish is logged
    /// and subscribers read the event from the log. A failed write fails every queued event and rewinds numbering.
    /// </summary>
    private async Task Flush()
    {
        // Let the current turn finish first: an agent step emits its events back to back (a thought, then a tool
        // call's start and completion), and they should share one log write, one push and one stream message.
        await Task.Yield();
        while (_pending.Count > 0)
        {
            var events = _pending.ToArray();
            var durable = _pendingDurable!;
            _pending.Clear();
            _pendingDurable = null;
            try
            {
                await store.Append(ExecutionId, events);
            }
            catch (Exception ex)
            {
                LogAppendFailed(ex, ExecutionId, events[0].Sequence);
                durable.TrySetException(ex);
                _pendingDurable?.TrySetException(ex);
                _pendingDurable = null;
                _pending.Clear();
                _nextSequence = LastDurableSequence + 1;
                _sealed = _snapshot!.IsTerminal;
                return;
            }

            var snapshot = ExecutionSnapshotFold.Apply(_snapshot!, events);
            if (snapshot.IsTerminal && state.State.FinalSnapshot is null)
            {
                // Before anyone can see the terminal event, in a log read as much as in a push: whoever sees the end
                // sees the final snapshot, the retained log and the owner's list updated too. Reads meanwhile end at
                // the previous batch.
                await Finish(snapshot);
                _events.AddRange(events);
                KeepRetainedEvents();
            }
            else
            {
                _events.AddRange(events);
            }

            _snapshot = snapshot;
            PushToWatchers(events);
            try
            {
                // One stream message per batch, not per event: each costs a queue-grain call and a deep copy.
                await _stream!.OnNextBatchAsync(events);
            }
            catch (Exception ex)
            {
                LogPublishFailed(ex, ExecutionId, events[0].Sequence);
            }

            durable.TrySetResult();
        }
    }

    /// <summary>After the terminal event: keep the final snapshot, apply log retention, update the owner's list.</summary>
    private async Task Finish(ExecutionSnapshot final)
    {
        try
        {
            state.State.FinalSnapshot = final;
            await state.WriteStateAsync();
            var retention = storageOptions.Value;
            await store.Retain(ExecutionId, retention.RetainCompletedEvents, retention.RetainCompletedFor);
        }
        catch (Exception ex)
        {
            LogFinishFailed(ex, ExecutionId);
        }

        await RecordSummary(final);
        try
        {
            await UnregisterResumeReminder();
        }
        catch (Exception ex)
        {
            LogFinishFailed(ex, ExecutionId); // a leftover reminder removes itself at its next tick (ReceiveReminder)
        }
    }

    /// <summary>Serves what a fresh activation would find in the store after retention, not more.</summary>
    private void KeepRetainedEvents()
    {
        var keep = storageOptions.Value.RetainCompletedEvents;
        if (keep > 0 && _events.Count > keep)
        {
            _events.RemoveRange(0, _events.Count - keep);
        }
    }

    private long LastDurableSequence => _events.Count == 0 ? _snapshot?.LastSequence ?? 0 : _events[^1].Sequence;

    /// <summary>Keeps the owner's execution list current. The list is an index, not the truth: a failure is only logged.</summary>
    private async Task RecordSummary(ExecutionSnapshot snapshot)
    {
        var task = snapshot.Task.Length <= 200 ? snapshot.Task : snapshot.Task[..200];
        try
        {
            await GrainFactory.GetGrain<IUserExecutionsGrain>(state.State.OwnerId!).Record(
                new ExecutionSummary(ExecutionId, task, snapshot.CreatedAt, snapshot.Status));
        }
        catch (Exception ex)
        {
            LogIndexFailed(ex, ExecutionId);
        }
    }
}
