using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Azure Tables have no time-to-live, so finished logs are removed here: <see cref="AzureExecutionLogStore.Retain"/>
/// records each log's due time durably, and this grain's reminder (kept in the reminders table, so it fires on a
/// surviving silo after a crash) sweeps what is due. A sweep removes a log before its record, so one cut short is
/// finished by the next.
/// </summary>
public sealed partial class LogExpiryGrain(AzureExecutionLogStore store, IOptions<StorageOptions> storage, ILogger<LogExpiryGrain> logger)
    : Grain, ILogExpiryGrain, IRemindable
{
    private const string ReminderName = "sweep-expired-logs";

    public async Task Start()
    {
        var period = storage.Value.AzureStorage.ExpirySweepPeriod;
        // Every silo asks at start: one write each, and a changed period takes effect.
        await this.RegisterOrUpdateReminder(ReminderName, period, period);
    }

    public async Task<int> Sweep()
    {
        // A backlog is worked off for at most half a period per tick, not in one grain turn of hours.
        var budget = Stopwatch.StartNew();
        var total = 0;
        int removed;
        do
        {
            removed = await store.SweepExpired();
            total += removed;
        }
        while (removed > 0 && budget.Elapsed < storage.Value.AzureStorage.ExpirySweepPeriod / 2);

        if (total > 0)
        {
            LogSwept(total);
        }

        return total;
    }

    public async Task ReceiveReminder(string reminderName, Runtime.TickStatus status)
    {
        try
        {
            await Sweep();
        }
        catch (Exception ex) when (StoreFaults.IsStoreFault(ex))
        {
            LogSweepFailed(ex); // the next tick tries again
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} expired execution logs")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sweep of expired execution logs failed; the next one retries")]
    private partial void LogSweepFailed(Exception exception);
}
