using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Streaming;

/// <summary>
/// The SSE writer: a feed as a <c>text/event-stream</c> response, in <see cref="SseFrames"/>, flushed after each batch.
/// The connection's loop is here: take what the feed has, write it, or wait for the feed to have something.
/// </summary>
/// <param name="feed">The execution's events for this client.</param>
/// <param name="admission">This stream's place under the stream limits, given back when the response ends.</param>
/// <param name="types">Event types to send (null: all). Filtered events are skipped, the others keep their real ids.</param>
/// <param name="options">Stream settings.</param>
/// <param name="metrics">Where deliveries, resets and quiet connections are counted.</param>
/// <param name="logger">Where a broken stream is reported.</param>
public sealed partial class SseEventStreamResult(
    ExecutionEventFeed feed, IDisposable admission, IReadOnlySet<string>? types, SseOptions options, StreamMetrics metrics, ILogger logger) : IResult
{
    private HttpContext? _http;
    private bool _heartbeatOnly; // the last write was a heartbeat
    private List<TextFrame>? _texts; // only for a stream with texts

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using var admitted = admission;
        await using var _ = feed;
        var http = httpContext;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx and friends: do not buffer the stream
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var output = response.BodyWriter;
        // Only the client's disconnect cancels. An API node that stops ends its streams through the hub, which closes
        // every feed (see ExecutionStreamHub.EndAllStreams): a source linked to ApplicationStopping here cost each
        // connection about 300 bytes for its life.
        var cancellationToken = http.RequestAborted;
        // A client that stopped reading leaves this writer blocked in a flush; its overflowing buffer cuts it off.
        _http = http;
        feed.OnTooSlow(static result => ((SseEventStreamResult)result).CutOff(), this);
        try
        {
            SseFrames.WriteRetry(output, options.ClientRetryDelay);
            await Flush(output, cancellationToken);
            while (!feed.Ended)
            {
                if (await feed.Next() is not { } events)
                {
                    await feed.WaitAsync(cancellationToken);
                    continue;
                }

                if (feed.Closed)
                {
                    // Cut off as too slow, this node is stopping, or the client went away; the client resumes.
                    return;
                }

                var heartbeat = false;
                var texts = TakeTexts();
                if (feed.TakeReset() is { } reset)
                {
                    SseFrames.WriteEvent(output, reset.Snapshot.LastSequence, StreamReset.EventType, JsonSerializer.SerializeToUtf8Bytes(reset, AgentJson.Options));
                    metrics.Reset(reset.Reason);
                }
                else if (feed.TakePing() && texts.Count == 0 && !feed.Ended)
                {
                    SseFrames.WritePing(output);
                    heartbeat = true;
                }
                else if (events.Count == 0 && texts.Count == 0)
                {
                    continue; // the texts had nothing new for this client
                }

                if (_heartbeatOnly != heartbeat)
                {
                    _heartbeatOnly = heartbeat;
                    metrics.HeartbeatOnly(heartbeat);
                }

                for (var i = 0; i < events.Count; i++) // by index: a foreach over the interface would box an enumerator per batch
                {
                    var evt = events[i];
                    if (types is null || types.Contains(evt.Event.Type))
                    {
                        SseFrames.WriteEvent(output, evt);
                    }
                    else if (evt.Event.IsTerminal)
                    {
                        // A filtered-out end still moves the client's Last-Event-ID to it (an id-only frame dispatches
                        // no event), so a browser's reconnect gets 204 and stops instead of reading nothing for ever.
                        SseFrames.WriteId(output, evt.Sequence);
                    }
                }

                foreach (var text in texts)
                {
                    SseFrames.WriteEvent(output, text.Type, text.Json); // no id: live text is in no log
                }

                await Flush(output, cancellationToken);
                metrics.Delivered(events, types);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away; it resumes with its Last-Event-ID.
        }
        catch (Exception ex) when (response.HasStarted)
        {
            // Headers are gone, so no problem response is possible: end the stream and let the client resume.
            LogStreamFailed(logger, ex, feed.LastSequence);
        }
        finally
        {
            if (_heartbeatOnly)
            {
                metrics.HeartbeatOnly(false);
            }
        }
    }

    /// <summary>The text frames due after this batch's events (computed after them: an event may complete a text).</summary>
    private List<TextFrame> TakeTexts()
    {
        if (!feed.WantsTexts)
        {
            return NoTexts;
        }

        (_texts ??= []).Clear();
        feed.TakeTexts(_texts);
        return _texts;
    }

    private static readonly List<TextFrame> NoTexts = [];

    /// <summary>A flush that does not complete at once waits on the client: an overflow meanwhile means it stopped reading.</summary>
    private async ValueTask Flush(PipeWriter output, CancellationToken cancellationToken)
    {
        var flush = output.FlushAsync(cancellationToken);
        if (flush.IsCompleted)
        {
            await flush;
            return;
        }

        feed.WaitingOnClient = true;
        try
        {
            await flush;
        }
        finally
        {
            feed.WaitingOnClient = false;
        }
    }

    private void CutOff()
    {
        LogTooSlow(logger, feed.LastSequence);
        _http?.Abort();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A stream client fell behind at sequence {Sequence} and was disconnected; it will resume")]
    private static partial void LogTooSlow(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream of an execution failed after sequence {Sequence}; the client will resume")]
    private static partial void LogStreamFailed(ILogger logger, Exception exception, long sequence);
}
