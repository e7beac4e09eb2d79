using Microsoft.Extensions.Logging;

namespace Orleans.Agent.Grains.Executions;

/// <summary>The grain's log messages (structured, source-generated).</summary>
public sealed partial class ExecutionGrain
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} started for {OwnerId}")]
    private partial void LogStarted(string executionId, string ownerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} completed in {DurationMs} ms with {EventCount} events")]
    private partial void LogCompleted(string executionId, long durationMs, long eventCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} is handed on ({Reason}); it resumes on its next activation")]
    private partial void LogHandingOn(string executionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId} resumes after sequence {Sequence} on a new activation")]
    private partial void LogResuming(string executionId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId} cancelled by {UserId}")]
    private partial void LogCancelled(string executionId, string userId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId} failed")]
    private partial void LogFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId}: writing events from {Sequence} to the log failed; the loop waits and the write is retried until the store answers")]
    private partial void LogAppendFailed(Exception exception, string executionId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Execution {ExecutionId}: the event store answers again; the log is durable up to {Sequence}")]
    private partial void LogStoreRecovered(string executionId, long sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId}: the event store lost events {From}-{To} it had acknowledged; they were written again from this activation's memory")]
    private partial void LogStoreLostEvents(string executionId, long from, long to);

    [LoggerMessage(Level = LogLevel.Error, Message = "Execution {ExecutionId}: the event store was unavailable longer than the outage budget of {Budget}; the execution ends with storage_unavailable once that can be written")]
    private partial void LogOutageBudgetSpent(string executionId, TimeSpan budget);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: writing its state, resume reminder or list entry failed; tried again after its next durable batch")]
    private partial void LogRecordsFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: this activation stops after durable event {Sequence}; its queued events are dropped, unseen")]
    private partial void LogAbandoned(Exception exception, string executionId, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: saving its final snapshot or applying retention failed")]
    private partial void LogFinishFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: updating its owner's execution list failed")]
    private partial void LogIndexFailed(Exception exception, string executionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: publishing the batch from event {Sequence} on the stream failed; subscribers will read it from the log")]
    private partial void LogPublishFailed(Exception exception, string executionId, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Execution {ExecutionId}: event {Sequence} (about {Bytes} bytes) is too large for a stream message; subscribers will read it from the log")]
    private partial void LogTooLargeForStream(string executionId, long sequence, long bytes);
}
