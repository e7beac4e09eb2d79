using System.Diagnostics;
using Orleans.Agent.Events;
using Orleans.Agent.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Storage;

namespace Orleans.Agent.Grains.Executions;

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
    /// Queues an event with the next sequence. Returns once queued (or, past <see cref="MaxPendingEvents"/> or while
    /// the store is failing, once durable), or once durable when asked. Throws <see cref="OperationCanceledException"/>
    /// when a terminal event is already queued: nothing may follow it.
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

        // While the store fails, the loop takes no step whose events could not be made durable.
        return waitUntilDurable || _pending.Count >= MaxPendingEvents || Appender.InTrouble ? durable.Task : Task.CompletedTask;
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
    /// and subscribers read the event from the log. A failed write is retried until it is durable (see
    /// <see cref="LogAppender"/>); only an activation that is overtaken or goes away drops what it queued.
    /// </summary>
    private async Task Flush()
    {
        // Let the current turn finish first: an agent step emits its events back to back (a thought, then a tool
        // call's start and completion), and they should share one log write, one push and one stream message.
        await Task.Yield();
        while (_pending.Count > 0)
        {
            var (events, artifacts) = PayloadPolicy.Apply(_pending.ToArray(), eventOptions.Value.MaxInlineBytes);
            var durable = _pendingDurable!;
            _pending.Clear();
            _pendingDurable = null;
            try
            {
                var began = Stopwatch.GetTimestamp();
                var restored = await Appender.Append(events, _events, _onAppendFailed ??= OnAppendFailed, artifacts);
                metrics.Appended(events, Stopwatch.GetElapsedTime(began));
                if (_storeFailureLogged)
                {
                    LogStoreRecovered(ExecutionId, events[^1].Sequence);
                    _storeFailureLogged = false;
                }

                if (restored.Count > 0)
                {
                    LogStoreLostEvents(ExecutionId, restored[0].Sequence, restored[^1].Sequence);
                    metrics.Restored(restored.Count);
                    _recordsLost = true;
                }
            }
            catch (Exception ex)
            {
                Abandon(ex, durable);
                return;
            }

            if (_recordsLost)
            {
                await RestoreRecords();
            }

            if (events[^1].IsTerminal && state.State.FinalSnapshot is null)
            {
                // Before anyone can see the terminal event, in a log read as much as in a push: whoever sees the end
                // sees the final snapshot, the retained log and the owner's list updated too. Reads meanwhile end at
                // the previous batch.
                var final = ExecutionSnapshotFold.Apply(Snapshot!, events);
                await Finish(final);
                _events.AddRange(events);
                _folded = final; // before the trim: the events it covers may go
                KeepRetainedEvents();
            }
            else
            {
                _events.AddRange(events);
            }

            CompleteTexts(events);
            PushToWatchers(events);
            await PublishOnStream(events);

            durable.TrySetResult();
        }
    }

    private Action<Exception>? _onAppendFailed; // made once, not per flushed batch

    /// <summary>After each failed attempt to write: past the outage budget, the run ends with storage_unavailable.</summary>
    private void OnAppendFailed(Exception ex)
    {
        metrics.AppendFailed();
        var since = Appender.TroubleSince!.Value;
        if (!_storeFailureLogged)
        {
            LogAppendFailed(ex, ExecutionId, LastDurableSequence + 1);
            _storeFailureLogged = true;
        }

        var budget = storageOptions.Value.OutageBudget;
        if (!_sealed && DateTimeOffset.UtcNow - since >= budget)
        {
            LogOutageBudgetSpent(ExecutionId, budget);
            _loopCancellation?.Cancel();
            // Queued behind the batch being retried; written, and seen by every client, as soon as the store is back.
            _ = Append(ExecutionFailures.StoreOutage(budget));
        }
    }

    /// <summary>
    /// This activation cannot make its queue durable: another activation wrote to the log (it owns the execution now),
    /// or this one is going away while the store is down. Nothing queued was ever seen (only durable events are
    /// served); the loop stops without a terminal event and the next activation continues from the durable log.
    /// </summary>
    private void Abandon(Exception reason, TaskCompletionSource durable)
    {
        LogAbandoned(reason, ExecutionId, LastDurableSequence);
        var stopped = new OperationCanceledException($"Execution {ExecutionId} stopped on this activation.", reason);
        durable.TrySetException(stopped);
        _pendingDurable?.TrySetException(stopped);
        _pendingDurable = null;
        _pending.Clear();
        _nextSequence = LastDurableSequence + 1;
        _sealed = true;
        _loopCancellation?.Cancel();
        if (reason is LogConflictException)
        {
            this.DeactivateOnIdle();
        }
    }

    /// <summary>
    /// The store lost this execution's records with its events (restarted without persistence): the log is whole
    /// again; the grain state, the resume reminder and the owner's list entry are written again from memory.
    /// </summary>
    private async Task RestoreRecords()
    {
        try
        {
            await WriteState();
            if (!_sealed && KeepsResumeReminder)
            {
                // The handle this activation holds may name a reminder the store lost: register it again either way.
                _resumeReminder = await this.RegisterOrUpdateReminder(ResumeReminder, ResumePeriod, ResumePeriod);
            }

            await RecordSummary(Snapshot!);
            _recordsLost = false;
        }
        catch (Exception ex)
        {
            LogRecordsFailed(ex, ExecutionId);
        }
    }

    /// <summary>
    /// Writes the grain state. Only this activation writes it, so a version conflict means an earlier write timed out
    /// but was applied, or the record is gone: take the stored version and write again.
    /// </summary>
    private async Task WriteState()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var current = state.State;
            await state.ReadStateAsync(); // replaces the state object: keep ours
            state.State = current;
            await state.WriteStateAsync();
        }
    }

    /// <summary>After the terminal event: keep the final snapshot, apply log retention, update the owner's list.</summary>
    private async Task Finish(ExecutionSnapshot final)
    {
        try
        {
            state.State.FinalSnapshot = final;
            await WriteState();
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

    private long LastDurableSequence => _events.Count == 0 ? _folded?.LastSequence ?? 0 : _events[^1].Sequence;

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
