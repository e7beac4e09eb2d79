using System.Collections;
using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;

namespace Orleans.Agent.Bench;

/// <summary>
/// One SSE client following one execution to its terminal event, as a browser would: on a dropped connection it
/// reconnects with <c>Last-Event-ID</c>. Every event is checked against the ones before it (gap, duplicate,
/// reorder) and timed from its server timestamp.
/// </summary>
internal sealed class EventFollower(LoadClient client, StreamStats stats, int ownerIndex, string executionId, long expectedEvents)
{
    private readonly BitArray _seen = new((int)expectedEvents + 2);
    private long _highest;
    private long _distinct;
    private long _openedTicks = long.MaxValue; // when the current connection's response headers arrived (UTC ticks)

    /// <summary>Called with the receive time (UTC ticks) of the first event.</summary>
    public Action<long>? OnFirstEvent { get; init; }

    /// <summary>Called with the sequence of each event, after it was counted.</summary>
    public Action<long>? OnEvent { get; init; }

    /// <summary>Stop (as if ended) once this sequence arrived; 0: follow to the terminal event.</summary>
    public long StopAtSequence { get; init; }

    /// <summary>Ask for live text (<c>?deltas=true</c>) and time each delta.</summary>
    public bool Deltas { get; init; }

    public async Task Follow(CancellationToken cancellationToken)
    {
        var ended = false;
        try
        {
            while (!ended && !cancellationToken.IsCancellationRequested)
            {
                ended = await Connect(cancellationToken);
                if (!ended)
                {
                    Interlocked.Increment(ref stats.Reconnects);
                    await Task.Delay(100, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the profile's deadline
        }

        Interlocked.Add(ref stats.Missing, Math.Max(0, expectedEvents - _distinct));
        if (!ended)
        {
            Interlocked.Increment(ref stats.Incomplete);
        }
    }

    /// <summary>One connection; true once the terminal event arrived.</summary>
    private async Task<bool> Connect(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/agent/stream/{executionId}{(Deltas ? "?deltas=true" : "")}");
        request.Headers.Authorization = client.Bearer(ownerIndex);
        if (_highest > 0)
        {
            request.Headers.Add("Last-Event-ID", _highest.ToString(CultureInfo.InvariantCulture));
        }

        try
        {
            using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref stats.Errors);
                return response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable);
            }

            _openedTicks = DateTime.UtcNow.Ticks;
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            await foreach (var item in SseParser.Create(body, EventStamp.Parse).EnumerateAsync(cancellationToken))
            {
                if (item.Data.IsDelta)
                {
                    Interlocked.Increment(ref stats.Deltas);
                    if (item.Data.TimestampTicks > 0)
                    {
                        StreamStats.RecordLatency(stats.TokenToReceive, item.Data.TimestampTicks, DateTime.UtcNow.Ticks);
                    }
                }
                else if (item.Data.Sequence > 0 && Count(item.Data, DateTime.UtcNow.Ticks))
                {
                    return true;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            // dropped: reconnect and resume
        }

        return false;
    }

    /// <summary>Counts one event; true when it is the terminal one.</summary>
    private bool Count(EventStamp evt, long receivedTicks)
    {
        Interlocked.Increment(ref stats.Events);
        StreamStats.RecordLatency(stats.EmitToReceive, evt.TimestampTicks, receivedTicks);
        if (evt.TimestampTicks >= _openedTicks)
        {
            StreamStats.RecordLatency(stats.LiveEmitToReceive, evt.TimestampTicks, receivedTicks);
        }
        if (_distinct == 0)
        {
            OnFirstEvent?.Invoke(receivedTicks);
        }

        var sequence = evt.Sequence;
        if (sequence < _seen.Length && _seen[(int)sequence])
        {
            Interlocked.Increment(ref stats.Duplicates);
        }
        else
        {
            if (sequence < _highest)
            {
                Interlocked.Increment(ref stats.Reorders);
            }
            else if (sequence > _highest + 1)
            {
                Interlocked.Increment(ref stats.Gaps);
            }

            if (sequence < _seen.Length)
            {
                _seen[(int)sequence] = true;
                _distinct++;
            }

            _highest = Math.Max(_highest, sequence);
        }

        OnEvent?.Invoke(sequence);
        return evt.IsTerminal || (StopAtSequence > 0 && sequence >= StopAtSequence);
    }
}
