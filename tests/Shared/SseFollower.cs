using System.Diagnostics;
using System.Net.ServerSentEvents;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

/// <summary>
/// A resilient SSE client, as an SDK would be: it resumes with Last-Event-ID after any break (an answer other than
/// 200, a dropped connection, a response that ended before the terminal event), and moves to the next API node when
/// its own is unreachable. Gives up at the deadline.
/// </summary>
public static class SseFollower
{
    /// <summary>What one client saw: every frame's id and type in order, the longest wait between two, its reconnects.</summary>
    public sealed record Result(List<(string Id, string Type)> Frames, long LongestStallMs, int Reconnects)
    {
        public IEnumerable<string> Ids => Frames.Select(f => f.Id);
    }

    public static async Task<Result> Follow(string executionId, HttpClient[] nodes, TimeSpan deadline)
    {
        var frames = new List<(string Id, string Type)>();
        var node = 0;
        var reconnects = -1;
        var lastEvent = Stopwatch.StartNew();
        long longestStall = 0;
        var until = DateTime.UtcNow + deadline;
        while (DateTime.UtcNow < until)
        {
            reconnects++;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/agent/stream/{executionId}");
                if (frames.Count > 0)
                {
                    request.Headers.Add("Last-Event-ID", frames[^1].Id);
                }

                using var response = await nodes[node].SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                if (!response.IsSuccessStatusCode)
                {
                    await Task.Delay(200); // 503 while a silo fails over or the store is down
                    continue;
                }

                await using var body = await response.Content.ReadAsStreamAsync();
                await foreach (var item in SseParser.Create(body).EnumerateAsync())
                {
                    Assert.NotEqual("stream:reset", item.EventType);
                    frames.Add((item.EventId!, item.EventType));
                    longestStall = Math.Max(longestStall, lastEvent.ElapsedMilliseconds);
                    lastEvent.Restart();
                    if (AgentEventTypes.IsTerminal(item.EventType))
                    {
                        return new Result(frames, longestStall, reconnects);
                    }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                node = (node + 1) % nodes.Length; // this node is gone: go to the next one
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"Execution {executionId} did not finish for a client; it got {frames.Count} events.");
    }
}
