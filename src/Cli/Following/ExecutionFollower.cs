using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Orleans.Agent.Cli.Following;

/// <summary>
/// Follows one execution to its terminal event, across lost connections: each reconnect sends the last sequence it
/// delivered as Last-Event-ID, so every event reaches the view once and in order. Gives up only when the API stays
/// unreachable for <see cref="ReconnectWindow"/> (or was never reachable: a wrong URL fails at once).
/// </summary>
public sealed class ExecutionFollower(AgentApiClient api, IFollowView view)
{
    /// <summary>How long the follower keeps trying while the API is down (a node restarting takes seconds).</summary>
    public TimeSpan ReconnectWindow { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Silence after which a connection counts as lost: the server sends a heartbeat every 30 s.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(75);

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(5);

    /// <summary>Follows after <paramref name="afterSequence"/>; the exit code of the execution's terminal status.</summary>
    public async Task<int> Follow(string executionId, long afterSequence, bool deltas, CancellationToken cancellationToken)
    {
        var last = afterSequence;
        var reachable = false;
        var delay = FirstDelay;
        DateTime? failingSince = null;
        while (true)
        {
            string lost;
            TimeSpan? wait = null;
            try
            {
                using var response = await api.OpenStream(executionId, last, deltas, cancellationToken);
                reachable = true;
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    // The cursor is the terminal event: the snapshot says which.
                    return ExitCodeOf((await api.Snapshot(executionId, cancellationToken)).GetProperty("status").GetString());
                }

                await using var body = new IdleTimeoutStream(await response.Content.ReadAsStreamAsync(cancellationToken), IdleTimeout);
                await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken))
                {
                    failingSince = null;
                    delay = FirstDelay;
                    if (Deliver(item, ref last) is { } exitCode)
                    {
                        return exitCode;
                    }
                }

                lost = "the server ended the stream before the execution ended";
            }
            catch (AgentApiException ex) when (ex.Transient && (reachable || ex.Status != 0))
            {
                lost = ex.Message;
                wait = ex.RetryAfter;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                lost = ex.Message;
            }
            catch (GapException)
            {
                lost = "an event was missing";
            }

            failingSince ??= DateTime.UtcNow;
            if (DateTime.UtcNow - failingSince > ReconnectWindow)
            {
                throw new AgentApiException($"The API at {api.BaseAddress} has been unavailable for {ReconnectWindow.TotalSeconds:0} s ({lost}).", 0);
            }

            var pause = wait ?? delay;
            view.Reconnecting(lost, pause);
            await Task.Delay(pause, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
        }
    }

    /// <summary>Hands one frame to the view; the exit code once the execution has ended.</summary>
    private int? Deliver(SseItem<string> item, ref long last)
    {
        switch (item.EventType)
        {
            case "text:delta":
                using (var delta = JsonDocument.Parse(item.Data))
                {
                    var root = delta.RootElement;
                    view.Delta(root.GetProperty("textId").GetString()!, root.GetProperty("offset").GetInt32(), root.GetProperty("text").GetString()!);
                }

                return null;
            case "text:reset":
                using (var reset = JsonDocument.Parse(item.Data))
                {
                    view.TextWithdrawn(reset.RootElement.GetProperty("textId").GetString()!);
                }

                return null;
            case "stream:reset":
                using (var reset = JsonDocument.Parse(item.Data))
                {
                    var snapshot = reset.RootElement.GetProperty("snapshot").Clone();
                    view.Reset(reset.RootElement.GetProperty("reason").GetString()!, snapshot);
                    last = snapshot.GetProperty("lastSequence").GetInt64();
                    var status = snapshot.GetProperty("status").GetString();
                    return status is "completed" or "failed" or "cancelled" ? ExitCodeOf(status) : null;
                }

            default:
                var sequence = long.Parse(item.EventId ?? "0", CultureInfo.InvariantCulture);
                if (sequence <= last)
                {
                    return null; // already shown (a reconnect's overlap)
                }

                if (sequence != last + 1)
                {
                    throw new GapException();
                }

                using (var evt = JsonDocument.Parse(item.Data))
                {
                    view.Durable(item.EventType, evt.RootElement, item.Data);
                }

                last = sequence;
                return item.EventType switch
                {
                    "execution:complete" => ExitCodes.Completed,
                    "execution:error" => ExitCodes.Failed,
                    "execution:cancelled" => ExitCodes.Cancelled,
                    _ => null,
                };
        }
    }

    public static int ExitCodeOf(string? status) => status switch
    {
        "completed" => ExitCodes.Completed,
        "failed" => ExitCodes.Failed,
        "cancelled" => ExitCodes.Cancelled,
        _ => throw new InvalidOperationException($"The execution has not ended ({status})."),
    };

    /// <summary>A sequence was skipped: the server never does that on an unfiltered stream, so reconnect after the last one.</summary>
    private sealed class GapException : Exception;
}
