using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthenticationTests(ApiFixture fixture)
{
    private const string StreamIssuer = "orleans-agent-stream-tokens";
    private const string StreamAudience = "orleans-agent-stream";
    private ApiServer Server => fixture.Server;

    /// <summary>Each refused token, and what the 401 problem says about it.</summary>
    public static TheoryData<string, string, string> RefusedTokens() => new()
    {
        { "alg none", TestTokens.Unsigned("alice"), "signature does not verify" },
        { "HS384 with the right key", TestTokens.Create("alice", TestTokens.DevelopmentKey, algorithm: SecurityAlgorithms.HmacSha384), "or another algorithm" },
        { "wrong key", TestTokens.Create("alice", "some-other-key-that-is-long-enough-0123456789"), "signature does not verify" },
        { "expired", TestTokens.Create("alice", TestTokens.DevelopmentKey, expires: DateTime.UtcNow.AddMinutes(-5)), "The token expired at " },
        { "wrong audience", TestTokens.Create("alice", TestTokens.DevelopmentKey, audience: "someone-else"), "another audience" },
        { "wrong issuer", TestTokens.Create("alice", TestTokens.DevelopmentKey, issuer: "evil"), "issuer (iss) is not one this API trusts" },
        { "a stream token as a bearer token", TestTokens.Create("alice", TestTokens.DevelopmentKey, StreamIssuer, StreamAudience), "another audience" },
        { "garbage", "not.a.token", "not a well-formed JWT" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Bad_tokens_are_401_with_a_problem_that_says_why(string why, string token, string says)
    {
        using var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync("/api/agent/executions/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f");

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {response.StatusCode}");
        var detail = (await response.AssertProblem(401)).GetProperty("detail").GetString();
        Assert.True(detail?.Contains(says, StringComparison.Ordinal) == true, $"{why}: {detail}");
        Assert.DoesNotContain(token, detail, StringComparison.Ordinal);
        Assert.NotEmpty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task A_request_without_a_token_is_told_how_to_send_one()
    {
        using var client = Server.Anonymous();

        var api = await (await client.GetAsync("/api/agent/executions")).AssertProblem(401);
        var stream = await (await client.GetAsync("/api/agent/stream/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")).AssertProblem(401);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "YWxpY2U6cGFzcw==");
        var basic = await (await client.GetAsync("/api/agent/executions")).AssertProblem(401);

        Assert.Equal("No token: send Authorization: Bearer <JWT>.", api.GetProperty("detail").GetString());
        Assert.Contains("?access_token=<stream token>", stream.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("The Authorization header does not carry a bearer token: send Authorization: Bearer <JWT>.", basic.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_valid_token_made_outside_the_dev_endpoint_is_accepted()
    {
        using var client = Server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create("carol", TestTokens.DevelopmentKey));

        var (id, _) = await client.Execute(new { task = "Hello" });

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/agent/executions/{id}")).StatusCode);
    }

    [Fact]
    public async Task A_stream_token_opens_its_execution_stream_without_a_header_and_nothing_but_its_files()
    {
        using var alice = await Server.SignIn("alice");
        using var bob = await Server.SignIn("bob");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 2, 0, 1));
        var (otherId, otherStreamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 2, 0, 1));
        var issued = await (await alice.PostAsync($"/api/agent/executions/{id}/stream-token", null)).Content.ReadFromJsonAsync<JsonElement>();
        var token = issued.GetProperty("token").GetString()!;
        using var browser = Server.Anonymous();

        var frames = await browser.ReadStream(issued.GetProperty("streamUrl").GetString()!);

        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.InRange(DateTimeOffset.Parse(issued.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(4), DateTimeOffset.UtcNow.AddMinutes(6));
        await (await browser.GetAsync($"{otherStreamUrl}?access_token={token}")).AssertProblem(404);
        await (await browser.GetAsync($"/api/agent/executions/{id}?access_token={token}")).AssertProblem(401);
        await (await browser.GetAsync($"/api/agent/executions/{id}/files?access_token={token}")).AssertProblem(401); // the list is the console's, with its bearer
        await (await browser.GetAsync($"/api/agent/executions/{id}/artifacts/{new string('a', 64)}?access_token={token}")).AssertProblem(401); // fetched with the bearer header (docs/security.md)
        await (await browser.PostAsync($"/api/agent/executions/{id}/cancel?access_token={token}", null)).AssertProblem(401);
        browser.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await (await browser.GetAsync($"/api/agent/executions/{id}")).AssertProblem(401);
        await (await browser.GetAsync(streamUrl)).AssertProblem(401); // only ?access_token= carries a stream token
        await (await bob.PostAsync($"/api/agent/executions/{id}/stream-token", null)).AssertProblem(404);
        Assert.NotEqual(id, otherId);
    }

    [Fact]
    public async Task Beside_a_bearer_header_a_stream_token_still_opens_only_its_own_execution()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var (_, otherStreamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var token = (await (await alice.PostAsync($"/api/agent/executions/{id}/stream-token", null)).Content.ReadFromJsonAsync<JsonElement>())
            .GetProperty("token").GetString()!;

        var own = await alice.ReadStream($"{streamUrl}?access_token={token}");

        Assert.Equal(AgentEventTypes.ExecutionComplete, own[^1].Type);
        await (await alice.GetAsync($"{otherStreamUrl}?access_token={token}")).AssertProblem(404);
    }

    [Fact]
    public async Task An_expired_or_forged_stream_token_is_401()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        using var browser = Server.Anonymous();
        Claim[] scope = [new("exec", id)];

        var expired = TestTokens.Create("alice", TestTokens.DevelopmentKey, StreamIssuer, StreamAudience, expires: DateTime.UtcNow.AddMinutes(-5), extraClaims: scope);
        var forged = TestTokens.Create("alice", "attacker-key-which-is-long-enough-0123456789", StreamIssuer, StreamAudience, extraClaims: scope);

        await (await browser.GetAsync($"{streamUrl}?access_token={expired}")).AssertProblem(401);
        await (await browser.GetAsync($"{streamUrl}?access_token={forged}")).AssertProblem(401);
    }

    [Fact]
    public async Task Tokens_never_reach_the_logs_and_requests_are_logged_scrubbed()
    {
        var logs = new CapturedLogs();
        await using var server = await ApiServer.Start(
            "Development", builder => builder.Logging.AddProvider(logs), "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Orleans=Warning", "--Logging:LogLevel:Orleans.Agent=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace");
        using var alice = await server.SignIn("alice");
        var bearer = alice.DefaultRequestHeaders.Authorization!.Parameter!;
        var (id, _) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));
        var issued = await (await alice.PostAsync($"/api/agent/executions/{id}/stream-token", null)).Content.ReadFromJsonAsync<JsonElement>();
        var token = issued.GetProperty("token").GetString()!;
        using var browser = server.Anonymous();

        await browser.ReadStream(issued.GetProperty("streamUrl").GetString()!);
        await browser.GetAsync($"/api/agent/stream/{id}?access_token={token}x"); // a bad one is not logged either

        var all = logs.Messages.ToArray();
        Assert.NotEmpty(all);
        Assert.DoesNotContain(all, m => m.Contains(token, StringComparison.Ordinal) || m.Contains(bearer, StringComparison.Ordinal));
        Assert.DoesNotContain(all, m => m.Contains(token[..40], StringComparison.Ordinal));
        Assert.True(all.Any(m => m.Contains($"GET /api/agent/stream/{id}?access_token=***", StringComparison.Ordinal)), string.Join("\n", all.Where(m => m.Contains("HTTP", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task With_an_authority_tokens_are_checked_against_its_jwks()
    {
        await using var idp = await JwksStub.Start();
        await using var server = await ApiServer.Start(
            "Production", $"--Auth:Authority={idp.Issuer}", "--Auth:RequireHttpsMetadata=false");
        using var client = server.Anonymous();

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idp.Token("dave"));
        var (id, streamUrl) = await client.Execute(new { task = "Signed by the identity provider" });
        var frames = await client.ReadStream(streamUrl);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idp.Token("dave", audience: "another-api"));
        var wrongAudience = await client.GetAsync($"/api/agent/executions/{id}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create("dave", "some-hmac-key-an-attacker-chose-0123456789", issuer: idp.Issuer));
        var symmetric = await client.GetAsync($"/api/agent/executions/{id}");
        var stream = await (await server.Anonymous().PostAsJsonAsync("/api/dev/token", new { userId = "dave" })).Content.ReadAsStringAsync();

        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        await wrongAudience.AssertProblem(401);
        await symmetric.AssertProblem(401);
        Assert.Contains("404", stream, StringComparison.Ordinal);
    }
}
