using Azure;
using Orleans.Agent.Executions;
using Orleans.Persistence.Redis;
using Orleans.Reminders.Redis;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Storage;

/// <summary>Tells a failing store from a failing product, and turns the first into <see cref="StoreUnavailableException"/>.</summary>
public static class StoreFaults
{
    /// <summary>
    /// The store client failed, timed out or could not connect (Redis, Azure Storage, or Orleans' providers for
    /// them). An Azure answer that is the caller's doing (a conflict, a missing entity) is not a fault.
    /// </summary>
    public static bool IsStoreFault(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RedisException or RedisTimeoutException or RedisStorageException or RedisRemindersException or StoreUnavailableException
                || e is RequestFailedException { Status: 0 or 408 or 429 or >= 500 })
            {
                return true;
            }

            // Azure's client gives up after its retries with every attempt's failure inside; an attempt past its
            // network timeout is a cancellation.
            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(inner => inner is OperationCanceledException || IsStoreFault(inner)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Without the store client's exception inside: it could not cross the grain boundary either.</summary>
    public static StoreUnavailableException Unavailable(Exception exception) =>
        exception as StoreUnavailableException ?? new StoreUnavailableException($"The durable store is unavailable ({exception.GetType().Name}: {exception.Message})");

    /// <summary>Runs a store call, turning a store fault into <see cref="StoreUnavailableException"/>.</summary>
    public static async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (IsStoreFault(ex) && ex is not StoreUnavailableException)
        {
            throw Unavailable(ex);
        }
    }

    /// <inheritdoc cref="Guard{T}"/>
    public static Task Guard(Func<Task> call) => Guard(async () =>
    {
        await call();
        return true;
    });
}
