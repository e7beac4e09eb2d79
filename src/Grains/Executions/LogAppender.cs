using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Observability;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Executions;

/// <summary>
/// Makes one execution's batches durable when the store fails, times out or comes back different. A failed call may
/// still have been applied, so it is never rewound: the log's end is read back and the batch is found written
/// (recognised by sequence and content), not written (written again), or overtaken by another writer (a conflict).
/// Events the store lost (it came back without them) are written again from what this activation knows is durable.
/// Attempts repeat with back-off until the batch is durable or <see cref="GiveUp"/> is called.
/// </summary>
public sealed class LogAppender(
    IExecutionLogStore store, string executionId, TimeProvider time, Func<int, TimeSpan> backoff, ExecutionMetrics? metrics = null)
{
    /// <summary>The default back-off: 50 ms doubling to 2 s, with jitter so recovering executions do not retry in step.</summary>
    public static TimeSpan DefaultBackoff(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(2_000, 50 * Math.Pow(2, Math.Min(attempt, 6))) * (0.75 + Random.Shared.NextDouble() / 2));

    /// <summary>A write still unanswered after this is taken for an outage before the store client gives up on it.</summary>
    private static readonly TimeSpan SuspectAfter = TimeSpan.FromSeconds(1);

    private long _attemptStarted; // timestamp of the attempt in flight, 0 when none
    private volatile bool _givenUp;
    private CancellationTokenSource? _waiting; // made at the first wait between attempts: most executions never need one

    /// <summary>When the first of the current run of failed attempts was made; null while the store works.</summary>
    public DateTimeOffset? TroubleSince { get; private set; }

    /// <summary>The store failed, or a write has gone unanswered for a second (a healthy one takes milliseconds).</summary>
    public bool InTrouble => TroubleSince is not null || (_attemptStarted != 0 && time.GetElapsedTime(_attemptStarted) > SuspectAfter);

    /// <summary>Stops retrying (this activation is going away): the append in progress throws <see cref="OperationCanceledException"/>.</summary>
    public void GiveUp()
    {
        _givenUp = true;
        _waiting?.Cancel();
    }

    /// <summary>
    /// Appends <paramref name="batch"/> after <paramref name="durable"/> (everything this activation knows is durable,
    /// from the log's first event). <paramref name="onFailure"/> runs after each failed attempt. Returns the events
    /// the store had lost and that were written again (empty when none). Throws <see cref="LogConflictException"/>
    /// when another writer owns the log, and <see cref="OperationCanceledException"/> when told to give up.
    /// </summary>
    /// <paramref name="artifacts"/>: what the batch's events refer to, written before it in every attempt.
    /// A value task: with an in-process store the append completes at once, and a task per flushed batch was garbage.
    public async ValueTask<IReadOnlyList<AgentEvent>> Append(
        IReadOnlyList<AgentEvent> batch, IReadOnlyList<AgentEvent> durable, Action<Exception> onFailure, IReadOnlyList<ExecutionArtifact>? artifacts = null)
    {
        var known = durable.Count == 0 ? batch[0].Sequence - 1 : durable[^1].Sequence;
        IReadOnlyList<AgentEvent> restored = [];
        var unknownOutcome = false; // an earlier attempt failed: it may have been applied, now or later
        for (var attempt = 0; ; attempt++)
        {
            ThrowIfGivenUp();
            _attemptStarted = time.GetTimestamp();
            string? conflict = null; // found by reading the log back: final, not retried
            try
            {
                if (unknownOutcome)
                {
                    var end = await store.LastSequence(executionId);
                    if (end < known)
                    {
                        // The store lost events it had acknowledged (restarted without persistence, failed over to a replica behind).
                        if (durable.Count == 0 || durable[0].Sequence > end + 1)
                        {
                            conflict = $"Log {executionId} ends at {end} and this activation no longer holds event {end + 1}: it cannot be restored.";
                        }
                        else
                        {
                            restored = durable.Where(e => e.Sequence > end).ToList();
                            await store.Append(executionId, restored);
                        }
                    }
                    else if (end == batch[^1].Sequence && await IsWritten(batch, known))
                    {
                        metrics?.Reconciled();
                        return Written(restored);
                    }
                    else if (end != known)
                    {
                        conflict = $"Log {executionId} ends at {end} with events this activation did not write (it wrote up to {known}).";
                    }
                }

                if (conflict is null)
                {
                    if (artifacts is { Count: > 0 })
                    {
                        await store.PutArtifacts(executionId, artifacts);
                    }

                    await store.Append(executionId, batch);
                    return Written(restored);
                }
            }
            catch (Exception ex) when (!_givenUp)
            {
                // A conflict here is read back like a timeout: the store may be ahead by our own batch, applied late.
                unknownOutcome = true;
                // An outage began at the latest when the attempt that failed was made.
                TroubleSince ??= time.GetUtcNow() - time.GetElapsedTime(_attemptStarted);
                onFailure(ex);
            }

            _attemptStarted = 0;
            if (conflict is not null)
            {
                throw new LogConflictException(conflict);
            }

            _waiting ??= new CancellationTokenSource();
            ThrowIfGivenUp(); // given up before the source existed
            try
            {
                await Task.Delay(backoff(attempt), time, _waiting.Token);
            }
            catch (OperationCanceledException)
            {
                ThrowIfGivenUp();
                throw;
            }
        }
    }

    private void ThrowIfGivenUp()
    {
        if (_givenUp)
        {
            throw new OperationCanceledException($"Execution {executionId} stopped retrying its log write.");
        }
    }

    private IReadOnlyList<AgentEvent> Written(IReadOnlyList<AgentEvent> restored)
    {
        if (TroubleSince is { } since)
        {
            metrics?.OutageEnded(time.GetUtcNow() - since);
        }

        TroubleSince = null;
        _attemptStarted = 0;
        return restored;
    }

    private async Task<bool> IsWritten(IReadOnlyList<AgentEvent> batch, long known)
    {
        var written = await store.Read(executionId, known, batch.Count);
        return written.Count == batch.Count && written.Zip(batch).All(pair => SameEvent(pair.First, pair.Second));
    }

    /// <summary>The same event as it is stored: sequence and the whole content (the store keeps this JSON).</summary>
    private static bool SameEvent(AgentEvent stored, AgentEvent written) =>
        stored.Sequence == written.Sequence
        && JsonSerializer.SerializeToUtf8Bytes(stored, AgentJson.Options).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(written, AgentJson.Options));
}
