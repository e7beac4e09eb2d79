using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

/// <summary>
/// Brotli and gzip for the clients that ask: REST answers by default, event streams with <c>Compression:Streams</c>,
/// whose compressor is flushed with every batch and heartbeat, so a compressed stream is as live as a plain one;
/// <c>Compression:Enabled=false</c> sends everything as written.
/// </summary>
public sealed class CompressionTests
{
    /// <summary>Started, plan, phase start: then the run waits an hour before its first step, until it is cancelled.</summary>
    private const int EventsBeforeTheWait = 3;

    private static readonly object Parked = ApiTestHelpers.Workload(1, 1, 3_600_000, 1);

    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task A_compressed_stream_delivers_every_event_and_heartbeat_while_the_run_goes_on_and_resumes_compressed(string encoding)
    {
        await using var server = await ApiServer.Start("Development", "--Compression:Streams=true", "--Sse:HeartbeatInterval=00:00:01");
        using var raw = await server.SignIn("alice");
        using var browser = await server.SignIn("alice", DecompressionMethods.All);
        var (id, streamUrl) = await browser.Execute(Parked);

        // By hand: the server chose the encoding asked for, and the decompressed stream has each event and then a
        // heartbeat while the run is parked. A compressor that held its output back until the end would show nothing.
        using (var request = new HttpRequestMessage(HttpMethod.Get, streamUrl))
        {
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            using var response = await raw.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal([encoding], response.Content.Headers.ContentEncoding);
            await using var body = Decompressed(await response.Content.ReadAsStreamAsync(), encoding);
            var lines = await ReadLinesUntil(body, line => line == ": ping");
            Assert.Contains($"id: {EventsBeforeTheWait}", lines);
        }

        // As a client that decompresses by itself reads it: the events of the running execution, then a resume.
        var live = await browser.ReadStream(streamUrl, maxFrames: EventsBeforeTheWait);
        Assert.Equal(Enumerable.Range(1, EventsBeforeTheWait).Select(n => (long)n), live.Select(f => f.Event.Sequence));
        Assert.Equal("running", (await browser.Snapshot(id)).GetProperty("status").GetString());
        var resumed = await browser.ReadStream(streamUrl, lastEventId: "1", maxFrames: 2);
        Assert.Equal([2L, 3L], resumed.Select(f => f.Event.Sequence));

        (await browser.PostAsync($"/api/agent/executions/{id}/cancel", null)).EnsureSuccessStatusCode();
        var rest = await browser.ReadStream(streamUrl, lastEventId: EventsBeforeTheWait.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(AgentEventTypes.ExecutionCancelled, Assert.Single(rest).Type);
    }

    [Fact]
    public async Task Rest_answers_are_compressed_for_a_client_that_asks()
    {
        await using var server = await ApiServer.Start("Development");
        using var raw = await server.SignIn("alice");
        var (id, _) = await raw.Execute(ApiTestHelpers.Workload(1, 2, 0, 10));
        await raw.WaitForStatus(id, status => status == "completed");

        // The snapshot, the list, and a problem (an unknown execution): all JSON, all compressed.
        foreach (var (path, status) in new[] { ($"/api/agent/executions/{id}", 200), ("/api/agent/executions", 200), ($"/api/agent/executions/{Guid.NewGuid():N}", 404) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
            using var response = await raw.SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal(["br"], response.Content.Headers.ContentEncoding);
            using var text = new StreamReader(Decompressed(await response.Content.ReadAsStreamAsync(), "br"));
            var body = await text.ReadToEndAsync();
            using var json = JsonDocument.Parse(body);
            if (status == 200)
            {
                Assert.Contains(id, body, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(404, json.RootElement.GetProperty("status").GetInt32());
            }
        }
    }

    [Fact]
    public async Task By_default_a_stream_goes_as_written_even_to_a_client_that_asks()
    {
        await using var server = await ApiServer.Start("Development");
        using var raw = await server.SignIn("alice");
        var (_, streamUrl) = await raw.Execute(ApiTestHelpers.Workload(1, 1, 0, 10));
        using var request = new HttpRequestMessage(HttpMethod.Get, streamUrl);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        using var response = await raw.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("event: execution:complete", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_compression_off_everything_goes_as_written()
    {
        await using var server = await ApiServer.Start("Development", "--Compression:Enabled=false");
        using var raw = await server.SignIn("alice");
        var (id, streamUrl) = await raw.Execute(ApiTestHelpers.Workload(1, 1, 0, 10));
        raw.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        raw.DefaultRequestHeaders.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));

        var frames = await raw.ReadStream(streamUrl);
        using var snapshot = await raw.GetAsync($"/api/agent/executions/{id}");

        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Empty(snapshot.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("--Compression:Level=SmallestSize", "Compression:Level")]
    [InlineData("--Compression:Enabled=false --Compression:Streams=true", "Compression:Streams")]
    public async Task Compression_settings_that_cannot_work_stop_start_up_naming_the_key(string settings, string key)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.Start("Development", settings.Split(' ')));

        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    private static Stream Decompressed(Stream body, string encoding) => encoding == "br"
        ? new BrotliStream(body, CompressionMode.Decompress)
        : new GZipStream(body, CompressionMode.Decompress);

    /// <summary>The decompressed lines up to and including the first one <paramref name="last"/> accepts, within the deadline.</summary>
    private static async Task<List<string>> ReadLinesUntil(Stream body, Func<string, bool> last)
    {
        using var timeout = new CancellationTokenSource(ApiServer.Deadline);
        using var reader = new StreamReader(body);
        var lines = new List<string>();
        while (await reader.ReadLineAsync(timeout.Token) is { } line)
        {
            lines.Add(line);
            if (last(line))
            {
                return lines;
            }
        }

        throw new Xunit.Sdk.XunitException($"The stream ended before the line looked for: {string.Join(" | ", lines)}");
    }
}
