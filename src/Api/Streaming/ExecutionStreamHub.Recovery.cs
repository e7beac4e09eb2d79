using Orleans.Agent.Executions;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// Failover. An execution whose silo died is reactivated on another silo at its next call, and the watch this node
/// had on it is gone with the old activation. When this node loses a silo's gateway, or a check of an execution's log
/// fails, the executions it follows are asked again at once and then every 250 ms until the grain answers: the call
/// that answers has reactivated it (which resumes its run) and watches it again, and its connections then read what
/// they missed from the log. A client waits about as long as the cluster takes to declare the silo dead, not a
/// catch-up interval on top.
/// </summary>
public sealed partial class ExecutionStreamHub
{
    private static readonly TimeSpan RecoveryAttemptTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RecoveryRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>After this the quiet-connection check of the log takes over again, every catch-up interval.</summary>
    private static readonly TimeSpan RecoveryGiveUpAfter = TimeSpan.FromMinutes(1);

    // A node that follows 50,000 executions when a silo dies sends 64 calls at a time, not 50,000.
    private readonly SemaphoreSlim _recoveries = new(64);
    private long _recoveredWatches;

    /// <summary>Watches restored after a failover (a gateway lost, or a failed check of the log).</summary>
    public long RecoveredWatches => Interlocked.Read(ref _recoveredWatches);

    public void Dispose() => _recoveries.Dispose();

    /// <summary>This node lost a silo's gateway: any execution it follows may have run on that silo.</summary>
    internal void OnSiloLost()
    {
        Entry[] entries;
        lock (_entries)
        {
            entries = [.. _entries.Values];
        }

        LogSiloLost(_logger, entries.Length);
        foreach (var entry in entries)
        {
            entry.Recover();
        }
    }

    private sealed partial class Entry
    {
        private int _recovering;

        /// <summary>Asks the grain until it answers, then watches it again and has every connection re-read the log.</summary>
        public void Recover()
        {
            if (Interlocked.Exchange(ref _recovering, 1) == 0)
            {
                _ = RecoverUntilAnswered();
            }
        }

        private async Task RecoverUntilAnswered()
        {
            var giveUpAt = Environment.TickCount64 + (long)RecoveryGiveUpAfter.TotalMilliseconds;
            try
            {
                while (!_hub._stopping && Volatile.Read(ref _snapshot).Length > 0 && Environment.TickCount64 < giveUpAt)
                {
                    await _hub._recoveries.WaitAsync();
                    try
                    {
                        await WatchAgain().WaitAsync(RecoveryAttemptTimeout);
                        Interlocked.Increment(ref _hub._recoveredWatches);
                        foreach (var buffer in Volatile.Read(ref _snapshot))
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
                        _hub._recoveries.Release();
                    }

                    await Task.Delay(RecoveryRetryDelay);
                }
            }
            finally
            {
                Volatile.Write(ref _recovering, 0);
            }
        }

        /// <summary>A watch is idempotent: the same reference again, on whichever activation answers.</summary>
        private async Task WatchAgain()
        {
            if (_hub._source == LiveEventSource.Push && Volatile.Read(ref _watcher) is { } watcher)
            {
                await _hub._client.GetGrain<IExecutionGrain>(ExecutionId).Watch(_userId, watcher);
            }
            else
            {
                await Resubscribe();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost a silo's gateway; checking the {Count} executions this node follows until they answer")]
    private static partial void LogSiloLost(ILogger logger, int count);
}
