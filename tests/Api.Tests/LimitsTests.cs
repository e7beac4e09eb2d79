using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Orleans.Agent.Tests;

/// <summary>Each limit, on a server configured with small ones.</summary>
public sealed class LimitsFixture : IAsyncLifetime
{
    public ApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ApiServer.Start(
        "Development",
        "--Limits:ExecutionsPerMinutePerUser=3",
        "--Limits:StreamsPerUser=2",
        "--Limits:StreamsPerProcess=3",
        "--Limits:StreamRetryAfter=00:00:07",
        "--Limits:MaxRequestBodyBytes=2048",
        "--Limits:MaxTaskChars=100",
        "--Limits:MaxContextBytes=200",
        "--Limits:MaxJsonDepth=5",
        "--Cors:AllowedOrigins:0=http://app.example");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class LimitsTests(LimitsFixture fixture) : IClassFixture<LimitsFixture>
{
    private ApiServer Server => fixture.Server;

    [Fact]
    public async Task Starting_more_executions_per_minute_than_allowed_is_429_with_retry_after_per_user()
    {
        using var erin = await Server.SignIn("erin");
        using var frank = await Server.SignIn("frank");
        for (var i = 0; i < 3; i++)
        {
            await erin.Execute(new { task = "ok" });
        }

        var refused = await erin.PostAsJsonAsync("/api/agent/execute", new { task = "one too many" });

        await refused.AssertProblem(429);
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        await frank.Execute(new { task = "another user is not affected" });
    }

    [Fact]
    public async Task Streams_are_limited_per_user_and_per_process_with_429_and_retry_after()
    {
        using var grace = await Server.SignIn("grace");
        using var heidi = await Server.SignIn("heidi");
        var (_, graceStream) = await grace.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var (_, heidiStream) = await heidi.Execute(ApiTestHelpers.Workload(1, 1, 60_000, 1));
        var open = new List<HttpResponseMessage>();
        try
        {
            open.Add(await grace.GetAsync(graceStream, HttpCompletionOption.ResponseHeadersRead));
            open.Add(await grace.GetAsync(graceStream, HttpCompletionOption.ResponseHeadersRead));
            Assert.All(open, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

            var perUser = await grace.GetAsync(graceStream, HttpCompletionOption.ResponseHeadersRead);
            open.Add(await heidi.GetAsync(heidiStream, HttpCompletionOption.ResponseHeadersRead));
            var perProcess = await heidi.GetAsync(heidiStream, HttpCompletionOption.ResponseHeadersRead);

            await perUser.AssertProblem(429);
            Assert.Equal("7", perUser.Headers.GetValues("Retry-After").Single());
            Assert.Equal(HttpStatusCode.OK, open[^1].StatusCode);
            await perProcess.AssertProblem(429);
        }
        finally
        {
            open.ForEach(r => r.Dispose());
        }

        // Closing streams gives the permits back.
        await ApiTestHelpers.Eventually(async () => (await grace.GetAsync(graceStream + "?lastEventId=0", HttpCompletionOption.ResponseHeadersRead)) is { StatusCode: HttpStatusCode.OK } ok && Dispose(ok));
    }

    [Fact]
    public async Task A_refused_stream_gives_its_place_back_at_once()
    {
        using var ivan = await Server.SignIn("ivan");

        // Twice the per-user limit of 2, one after the other: each is a 404, none a 429.
        for (var i = 0; i < 4; i++)
        {
            await (await ivan.GetAsync("/api/agent/stream/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")).AssertProblem(404);
        }
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_413()
    {
        using var erin = await Server.SignIn("ivan");

        var response = await erin.PostAsync("/api/agent/execute", new StringContent($"{{\"task\":\"{new string('x', 4000)}\"}}", Encoding.UTF8, "application/json"));

        await response.AssertProblem(413);
    }

    [Theory]
    [InlineData("{\"task\":\"" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x" + "\"}", "task is 101 characters")]
    [InlineData("{\"task\":\"t\",\"context\":{\"blob\":\"" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "\"}}", "context is larger")]
    [InlineData("{\"task\":\"t\",\"context\":{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}}", "depth")]
    public async Task Task_context_and_depth_limits_are_400_problems(string body, string detail)
    {
        using var judy = await Server.SignIn("judy");

        var response = await judy.PostAsync("/api/agent/execute", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblem(400);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cors_allows_the_configured_origin_only_and_without_credentials()
    {
        using var client = Server.Anonymous();

        var allowed = await client.SendAsync(Preflight("http://app.example"));
        var refused = await client.SendAsync(Preflight("http://evil.example"));

        Assert.Equal("http://app.example", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/agent/execute");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    private static bool Dispose(HttpResponseMessage response)
    {
        response.Dispose();
        return true;
    }
}
