using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The hub's side of the node's sweep (<see cref="ExecutionStreamSweep"/>): once per tick, for every execution this
/// node serves, heartbeats for connections that have written nothing for a while, an end for connections whose
/// client went away, and one shared check of the log's end when a connection has been quiet, waking only the
/// connections that are behind it.
/// </summary>
public sealed partial class ExecutionStreamHub
{
    private volatile bool _stopping;
    private long _logEndProbes;
    private long _sweeps;

    /// <summary>Checks of an execution's log end: at most one per execution per catch-up interval, whatever its connection count.</summary>
    public long LogEndProbes => Interlocked.Read(ref _logEndProbes);

    /// <summary>Sweeps done since the node started.</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);

    /// <summary>One pass over every connection: see the type's summary.</summary>
    internal void Sweep(TimeSpan catchUpInterval, TimeSpan heartbeatInterval)
    {
        Entry[] entries;
        lock (_entries)
        {
            entries = [.. _entries.Values];
        }

        var now = Environment.TickCount64;
        foreach (var entry in entries)
        {
            entry.Sweep(now, (long)catchUpInterval.TotalMilliseconds, (long)heartbeatInterval.TotalMilliseconds);
        }

        Interlocked.Increment(ref _sweeps);
    }

    /// <summary>
    /// The node is stopping: end every stream now (each response ends cleanly and its client resumes, on any node, with
    /// its Last-Event-ID), and any stream that opens from now on at once.
    /// </summary>
    internal void EndAllStreams()
    {
        Entry[] entries;
        lock (_entries)
        {
            _stopping = true;
            entries = [.. _entries.Values];
        }

        foreach (var entry in entries)
        {
            entry.CloseAll();
        }
    }

    private sealed partial class Entry
    {
        private long _lastProbeAt = Environment.TickCount64;
        private int _probing;

        public void Sweep(long now, long catchUpMs, long heartbeatMs)
        {
            var anyQuiet = false;
            foreach (var buffer in Volatile.Read(ref _snapshot))
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

            // A quiet connection may be quiet because a push (or the whole subscription) was lost. One probe for all of
            // the execution's connections on this node, at most one per interval: 19,000 idle connections over 100
            // executions cost 20 grain calls a second, not 3,800, and the up-to-date connections are not even woken.
            if (anyQuiet && now - _lastProbeAt >= catchUpMs && Interlocked.Exchange(ref _probing, 1) == 0)
            {
                _lastProbeAt = now;
                _ = ProbeLogEnd();
            }
        }

        public void CloseAll()
        {
            foreach (var buffer in Volatile.Read(ref _snapshot))
            {
                buffer.Close();
            }
        }

        /// <summary>Asks the grain for the log's end, and wakes each connection behind it to read the log.</summary>
        private async Task ProbeLogEnd()
        {
            try
            {
                Interlocked.Increment(ref _hub._logEndProbes);
                var end = (await _hub._client.GetGrain<IExecutionGrain>(ExecutionId).GetSnapshot(_userId))?.LastSequence;
                foreach (var buffer in Volatile.Read(ref _snapshot))
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
                // Fire-and-forget, so nothing else would see it. Typically a silo failing over: the connections stay
                // open, and the execution is asked again at once until it answers (ExecutionStreamHub.Recovery).
                LogProbeFailed(_hub._logger, ex, ExecutionId);
                Recover();
            }
            finally
            {
                Volatile.Write(ref _probing, 0);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: checking the log's end failed; asking again until it answers")]
    private static partial void LogProbeFailed(ILogger logger, Exception exception, string executionId);
}
