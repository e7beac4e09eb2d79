using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Api;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Tests;

/// <summary>
/// The real API (Kestrel on 127.0.0.1, a random port, its in-process silo on free ports) with the configuration
/// files of src/Api, as <c>dotnet run --project src/Api</c> would start it.
/// </summary>
public sealed class ApiServer : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private ApiServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The application's services, e.g. the cluster client of its in-process silo.</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<ApiServer> Start(string environment, params string[] settings) => Start(environment, null, settings);

    public static async Task<ApiServer> Start(string environment, Action<WebApplicationBuilder>? configure, params string[] settings)
    {
        string[] args =
        [
            "--environment", environment,
            "--contentRoot", Path.Combine(TestPaths.RepositoryRoot, "src", "Api"),
            "--urls", "http://127.0.0.1:0",
            $"--Silo:SiloPort={FreePorts.Next()}",
            $"--Silo:GatewayPort={FreePorts.Next()}",
            "--Logging:LogLevel:Default=Warning",
            // Development writes the builtin model's text at a person's pace; tests that want it set their own.
            "--Model:BuiltinChunkDelay=00:00:00",
            // Tests about other things start many executions as one user; LimitsTests sets its own.
            "--Limits:ExecutionsPerMinutePerUser=1000000",
            .. settings,
        ];
        var app = AgentApiApplication.Build(args, configure);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new ApiServer(app, new Uri(address));
    }

    /// <summary>A client with no token; with <paramref name="decompression"/>, one that asks for it (Accept-Encoding) as browsers do.</summary>
    public HttpClient Anonymous(DecompressionMethods decompression = DecompressionMethods.None) =>
        new(new SocketsHttpHandler { AutomaticDecompression = decompression }) { BaseAddress = BaseAddress, Timeout = Deadline };

    /// <summary>A client carrying a dev token for <paramref name="userId"/> (Development only).</summary>
    public async Task<HttpClient> SignIn(string userId, DecompressionMethods decompression = DecompressionMethods.None)
    {
        var client = Anonymous(decompression);
        var response = await client.PostAsJsonAsync("/api/dev/token", new { userId });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Reads an execution's stream with the framework's SSE parser, as a browser or SDK would.</summary>
public static class SseReading
{
    /// <summary>One SSE frame. <see cref="Event"/> is null only for <c>stream:reset</c>, whose payload is in <see cref="Data"/>.</summary>
    public sealed record Frame(string Id, string Type, AgentEvent Event, JsonElement Data);

    /// <summary>Every frame until the server ends the response (it does after the terminal event), within the deadline.</summary>
    /// <param name="maxFrames">Hang up after this many frames (a client that disconnects mid-stream).</param>
    public static async Task<List<Frame>> ReadStream(
        this HttpClient client, string url, string? lastEventId = null, Action<Frame>? onFrame = null, int maxFrames = int.MaxValue)
    {
        var frames = new List<Frame>();
        await client.ReadFrames(url, lastEventId, maxFrames, item =>
        {
            var data = JsonSerializer.Deserialize<JsonElement>(item.Data);
            var evt = item.EventType == "stream:reset" ? null! : data.Deserialize<AgentEvent>(AgentJson.Options)!;
            frames.Add(new Frame(item.EventId!, item.EventType, evt, data));
            onFrame?.Invoke(frames[^1]);
            return true;
        });
        return frames;
    }

    /// <summary>
    /// Reads raw SSE frames (live text included) with the framework's parser until <paramref name="onFrame"/> says stop,
    /// the server ends the response, or <paramref name="max"/> frames, within the deadline.
    /// </summary>
    public static async Task ReadFrames(this HttpClient client, string url, string? lastEventId, int max, Func<SseItem<string>, bool> onFrame)
    {
        using var timeout = new CancellationTokenSource(ApiServer.Deadline);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.EnsureSuccessStatusCode();
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return; // the cursor was the terminal event: nothing to send (and an EventSource stops)
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var count = 0;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(timeout.Token))
        {
            if (!onFrame(item) || ++count >= max)
            {
                break;
            }
        }
    }
}
