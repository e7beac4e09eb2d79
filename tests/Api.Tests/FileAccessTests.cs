using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;

namespace Orleans.Agent.Tests;

/// <summary>
/// What an execution wrote, opened by a browser by URL (a preview frame, a link, a download) with a stream token of that
/// execution, never the bearer token: its scope, its expiry, another user's files, and the headers that keep a page a
/// model wrote from acting in the API's origin.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FileAccessTests(ApiFixture fixture)
{
    private ApiServer Server => fixture.Server;

    [Fact]
    public async Task A_stream_token_opens_its_executions_files_sandboxed_and_nothing_of_another()
    {
        using var alice = await Server.SignIn("alice");
        using var bob = await Server.SignIn("bob");
        var (id, url) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });
        await alice.ReadStream(url);
        var (otherId, otherUrl) = await alice.Execute(new { task = "Create a landing page for a bakery" });
        await alice.ReadStream(otherUrl);
        var (bobsId, bobsUrl) = await bob.Execute(new { task = "Create a landing page for a florist" });
        await bob.ReadStream(bobsUrl);
        var token = await StreamToken(alice, id);
        using var browser = Server.Anonymous();

        var page = await browser.GetAsync($"/api/agent/executions/{id}/files/index.html?access_token={token}");
        var download = await browser.GetAsync($"/api/agent/executions/{id}/files/README.md?download=true&access_token={token}");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("coffee", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("sandbox;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("README.md", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        // Its execution only: the same user's other execution, another user's, and a token for bob's execution
        // (issued to bob) on alice's file are all "not found", as for a bearer token.
        await (await browser.GetAsync($"/api/agent/executions/{otherId}/files/index.html?access_token={token}")).AssertProblem(404);
        await (await browser.GetAsync($"/api/agent/executions/{bobsId}/files/index.html?access_token={token}")).AssertProblem(404);
        var bobsToken = await StreamToken(bob, bobsId);
        await (await browser.GetAsync($"/api/agent/executions/{id}/files/index.html?access_token={bobsToken}")).AssertProblem(404);
        // Reading only: not the list, not a snapshot, never with a header (the bearer scheme refuses its audience).
        await (await browser.GetAsync($"/api/agent/executions/{id}/files?access_token={token}")).AssertProblem(401);
        browser.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await (await browser.GetAsync($"/api/agent/executions/{id}/files/index.html")).AssertProblem(401);
    }

    [Fact]
    public async Task An_expired_or_forged_token_is_401_and_says_why()
    {
        using var alice = await Server.SignIn("alice");
        var (id, url) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });
        await alice.ReadStream(url);
        Claim[] scope = [new("exec", id)];
        var expired = TestTokens.Create("alice", TestTokens.DevelopmentKey, "orleans-agent-stream-tokens", "orleans-agent-stream",
            expires: DateTime.UtcNow.AddMinutes(-5), extraClaims: scope);
        var forged = TestTokens.Create("alice", "attacker-key-which-is-long-enough-0123456789", "orleans-agent-stream-tokens", "orleans-agent-stream", extraClaims: scope);
        using var browser = Server.Anonymous();

        var stale = await (await browser.GetAsync($"/api/agent/executions/{id}/files/index.html?access_token={expired}")).AssertProblem(401);
        var signedElsewhere = await (await browser.GetAsync($"/api/agent/executions/{id}/files/index.html?access_token={forged}")).AssertProblem(401);

        Assert.Contains("expired", stale.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("signature does not verify", signedElsewhere.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bearer_token_reads_the_same_files_with_the_same_protection()
    {
        using var alice = await Server.SignIn("alice");
        var (id, url) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });
        await alice.ReadStream(url);

        var page = await alice.GetAsync($"/api/agent/executions/{id}/files/index.html");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("sandbox;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static async Task<string> StreamToken(HttpClient client, string executionId) =>
        (await (await client.PostAsync($"/api/agent/executions/{executionId}/stream-token", null)).Content.ReadFromJsonAsync<JsonElement>())
        .GetProperty("token").GetString()!;
}
