namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The subscription's checks, run by the node's sweep (<see cref="ExecutionStreamSweep"/>) for all of its connections
/// at once: a heartbeat for a connection that wrote nothing for a while, an end for one whose client went away, and one
/// shared probe of the log's end when a connection has been quiet, waking only the connections behind it. After a
/// failover (a silo's gateway lost, or a failed probe) the execution is asked again at once and then every 250 ms until
/// it answers: the call that answers has reactivated it (which resumes its run) and renews the delivery, and the
/// connections then read what they missed from the log.
/// </summary>
public sealed partial class ExecutionSubscription
{
    private static readonly TimeSpan RecoveryAttemptTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>After this the quiet-connection probe takes over again, every catch-up interval.</summary>
    private static readonly TimeSpan RecoveryGiveUpAfter = TimeSpan.FromMinutes(1);

    private long _lastProbeAt = Environment.TickCount64;
    private int _probing;
    private int _recovering;

    /// <summary>One pass at <paramref name="now"/> (<see cref="Environment.TickCount64"/>): see the type's summary.</summary>
    public void Sweep(long now, TimeSpan catchUpInterval, TimeSpan heartbeatInterval)
    {
        var catchUpMs = (long)catchUpInterval.TotalMilliseconds;
        var heartbeatMs = (long)heartbeatInterval.TotalMilliseconds;
        var anyQuiet = false;
        foreach (var buffer in Connections)
        {
            if (buffer.ClientGone.IsCancellationRequested)
            {
                buffer.Close(); // ends the wait; the connection leaves the hub as its response ends
                continue;
            }

            if (now - buffer.LastWriteAt >= heartbeatMs)
            {
                buffer.Wake(LiveWake.Heartbeat);
            }

            anyQuiet |= now - buffer.LastEventAt >= catchUpMs;
        }

        // A quiet connection may be quiet because a push (or the whole delivery) was lost. One probe for all of the
        // execution's connections on this node, at most one per interval: 19,000 idle connections over 100 executions
        // cost 20 grain calls a second, not 3,800, and the up-to-date connections are not even woken.
        if (anyQuiet && now - _lastProbeAt >= catchUpMs && Interlocked.Exchange(ref _probing, 1) == 0)
        {
            _lastProbeAt = now;
            _ = ProbeLogEnd();
        }
    }

    /// <summary>Asks the grain until it answers, then renews the delivery and has every connection re-read the log.</summary>
    public void Recover()
    {
        if (Interlocked.Exchange(ref _recovering, 1) == 0)
        {
            _ = RecoverUntilAnswered();
        }
    }

    /// <summary>Asks the grain for the log's end, and wakes each connection behind it to read the log.</summary>
    private async Task ProbeLogEnd()
    {
        try
        {
            _hub.CountProbe();
            var end = (await _grain.GetSnapshot(_userId))?.LastSequence;
            foreach (var buffer in Connections)
            {
                // No snapshot: the execution is no longer visible to its owner; the log read will say so and end it.
                if (end is not { } last || last > buffer.Delivered)
                {
                    buffer.Wake(LiveWake.CatchUp);
                }
            }
        }
        catch (Exception ex)
        {
            // Fire-and-forget, so nothing else would see it. Typically a silo failing over: the connections stay open,
            // and the execution is asked again at once until it answers.
            LogProbeFailed(_hub.Logger, ex, ExecutionId);
            Recover();
        }
        finally
        {
            Volatile.Write(ref _probing, 0);
        }
    }

    private async Task RecoverUntilAnswered()
    {
        var giveUpAt = Environment.TickCount64 + (long)RecoveryGiveUpAfter.TotalMilliseconds;
        try
        {
            while (!_hub.Stopping && Connections.Length > 0 && Environment.TickCount64 < giveUpAt)
            {
                await _hub.Recoveries.WaitAsync();
                try
                {
                    await (await Attached).Renew().WaitAsync(RecoveryAttemptTimeout);
                    _hub.CountRecovered();
                    foreach (var buffer in Connections)
                    {
                        buffer.Wake(LiveWake.Reread);
                    }

                    return;
                }
                catch (Exception ex) when (ex is OrleansException or TimeoutException)
                {
                    // Its silo is not declared dead yet, or the call went to a gateway that is gone: ask again.
                }
                finally
                {
                    _hub.Recoveries.Release();
                }

                await Task.Delay(RecoveryRetryDelay);
            }
        }
        finally
        {
            Volatile.Write(ref _recovering, 0);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: checking the log's end failed; asking again until it answers")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, string executionId);
}
