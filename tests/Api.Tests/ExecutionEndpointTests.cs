using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

[Collection(ApiCollection.Name)]
public sealed class ExecutionEndpointTests(ApiFixture fixture)
{
    private ApiServer Server => fixture.Server;

    [Fact]
    public async Task Health_endpoints_answer_without_a_token()
    {
        using var anonymous = Server.Anonymous();

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Execute_answers_202_with_the_execution_id_and_its_stream_url()
    {
        using var alice = await Server.SignIn("alice");

        var response = await alice.PostAsJsonAsync("/api/agent/execute", new { task = "Write a haiku about streams" });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = body.GetProperty("executionId").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal($"/api/agent/stream/{id}", body.GetProperty("streamUrl").GetString());
        Assert.Equal($"/api/agent/executions/{id}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task The_execution_list_holds_the_callers_executions_only_newest_first_in_pages()
    {
        using var kate = await Server.SignIn("kate-" + Guid.NewGuid().ToString("N")[..8]);
        using var other = await Server.SignIn("other-" + Guid.NewGuid().ToString("N")[..8]);
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await kate.Execute(new { task = $"task {i}" })).Id);
        }

        await other.Execute(new { task = "not kate's" });
        await kate.WaitForStatus(ids[^1], s => s == "completed");

        var first = await kate.GetFromJsonAsync<JsonElement>("/api/agent/executions?limit=3");
        var second = await kate.GetFromJsonAsync<JsonElement>($"/api/agent/executions?limit=3&cursor={first.GetProperty("nextCursor").GetString()}");
        var listed = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray()).ToList();

        Assert.Equal(Enumerable.Reverse(ids), listed.Select(e => e.GetProperty("executionId").GetString()));
        Assert.Equal("task 4", listed[0].GetProperty("task").GetString());
        Assert.Equal("completed", listed[0].GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        await (await kate.GetAsync("/api/agent/executions?limit=0")).AssertProblem(400);
        await (await kate.GetAsync("/api/agent/executions?cursor=../x")).AssertProblem(400);
    }

    [Fact]
    public async Task The_snapshot_shows_the_finished_plan_and_totals()
    {
        using var alice = await Server.SignIn("alice");
        var (id, _) = await alice.Execute(new { task = "Plan a team offsite in Lisbon" });

        var snapshot = await alice.WaitForStatus(id, s => s != "pending" && s != "running");

        Assert.Equal("completed", snapshot.GetProperty("status").GetString());
        Assert.Equal(25, snapshot.GetProperty("lastSequence").GetInt64());
        Assert.All(snapshot.GetProperty("plan").GetProperty("phases").EnumerateArray(), p => Assert.Equal("completed", p.GetProperty("status").GetString()));
        Assert.True(snapshot.GetProperty("tokensUsed").GetProperty("total").GetInt64() > 0);
    }

    [Fact]
    public async Task Another_users_execution_is_404_on_stream_snapshot_and_cancel()
    {
        using var alice = await Server.SignIn("alice");
        using var bob = await Server.SignIn("bob");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 50, 20, 1));

        await (await bob.GetAsync(streamUrl)).AssertProblem(404);
        await (await bob.GetAsync($"/api/agent/executions/{id}")).AssertProblem(404);
        await (await bob.PostAsync($"/api/agent/executions/{id}/cancel", null)).AssertProblem(404);
        Assert.NotEqual("cancelled", (await alice.Snapshot(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_problem_carries_a_trace_id_to_quote_to_support()
    {
        using var alice = await Server.SignIn("alice");

        var problem = await (await alice.GetAsync("/api/agent/executions/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")).AssertProblem(404);

        // The request's TraceIdentifier: hosting's per-request Activity is off (see HttpExtensions.AddAgentHttp).
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("traceId").GetString()));
    }

    [Theory]
    [InlineData("GET", "/api/agent/stream/{0}")]
    [InlineData("GET", "/api/agent/executions/{0}")]
    [InlineData("POST", "/api/agent/executions/{0}/cancel")]
    public async Task Unknown_and_malformed_execution_ids_are_404(string method, string template)
    {
        using var alice = await Server.SignIn("alice");

        foreach (var id in new[] { Guid.NewGuid().ToString("N"), "not-an-id", "..%2F..%2Fetc" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id));
            await (await alice.SendAsync(request)).AssertProblem(404);
        }
    }

    [Theory]
    [InlineData("POST", "/api/agent/execute")]
    [InlineData("GET", "/api/agent/stream/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")]
    [InlineData("GET", "/api/agent/executions/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")]
    [InlineData("POST", "/api/agent/executions/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f/cancel")]
    public async Task No_token_is_401(string method, string path)
    {
        using var anonymous = Server.Anonymous();

        var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertProblem(401);
    }

    [Fact]
    public async Task A_forged_token_is_401()
    {
        using var anonymous = Server.Anonymous();
        using var alice = await Server.SignIn("alice");
        var token = alice.DefaultRequestHeaders.Authorization!.Parameter!;
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));

        await (await anonymous.GetAsync("/api/agent/executions/0193a4f2c1d27b3c8e5f6a7b8c9d0e1f")).AssertProblem(401);
    }

    [Theory]
    [InlineData("{\"task\": \"unterminated", "not valid JSON")]
    [InlineData("{\"context\": {}}", "task is required")]
    [InlineData("{\"task\": \"   \"}", "task is required")]
    [InlineData("{\"task\": 42}", "not valid JSON")]
    [InlineData("[1, 2]", "not valid JSON")]
    [InlineData("{\"task\": \"x\", \"context\": \"text\"}", "context must be a JSON object")]
    [InlineData("{\"task\": \"x\", \"context\": {\"workload\": {\"phases\": 0, \"steps\": 1, \"delayMs\": 0, \"thoughtBytes\": 1}}}", "workload.phases")]
    [InlineData("{\"task\": \"x\", \"context\": {\"workload\": {\"phases\": 1000, \"steps\": 10000, \"delayMs\": 0, \"thoughtBytes\": 1}}}", "limit")]
    [InlineData("", "not valid JSON")]
    [InlineData("{\"taks\": \"typo\"}", "'taks'")]
    public async Task Bad_execute_bodies_get_a_400_problem_that_says_why(string body, string detail)
    {
        using var alice = await Server.SignIn("alice");

        var response = await alice.PostAsync("/api/agent/execute", new StringContent(body, Encoding.UTF8, "application/json"));

        var problem = await response.AssertProblem(400);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_without_synthetic_workloads_refuses_a_workload_and_runs_the_model_otherwise()
    {
        await using var server = await ApiServer.Start("Development", "--Model:SyntheticWorkloads=false");
        using var alice = await server.SignIn("alice");

        var refused = await alice.PostAsJsonAsync("/api/agent/execute", ApiTestHelpers.Workload(1, 1, 0, 1));
        var (id, streamUrl) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });
        var frames = await alice.ReadStream(streamUrl);

        var problem = await refused.AssertProblem(400);
        Assert.Contains("Model:SyntheticWorkloads", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Contains(frames, f => f.Type == AgentEventTypes.ToolStart && f.Event.Data is ToolStartData { ToolName: "create_file" });
        Assert.Equal("completed", (await alice.Snapshot(id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var alice = await Server.SignIn("alice");

        var response = await alice.PostAsync("/api/agent/execute", new StringContent("task=x", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.AssertProblem(415);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("99999999999999999999999")]
    public async Task An_invalid_last_event_id_query_is_a_400_problem(string lastEventId)
    {
        using var alice = await Server.SignIn("alice");
        var (_, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 1, 0, 1));

        await (await alice.GetAsync($"{streamUrl}?lastEventId={Uri.EscapeDataString(lastEventId)}")).AssertProblem(400);
    }

    [Fact]
    public async Task Cancel_after_completion_is_a_409_problem_and_adds_no_event()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task = "Finish quickly" });
        await alice.WaitForStatus(id, s => s == "completed");

        var response = await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var frames = await alice.ReadStream(streamUrl);

        await response.AssertProblem(409);
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Single(frames, f => f.Event.IsTerminal);
    }

    [Fact]
    public async Task Workspace_files_are_listed_and_served_to_the_owner_only()
    {
        using var alice = await Server.SignIn("alice");
        using var bob = await Server.SignIn("bob");
        var (id, _) = await alice.Execute(new { task = "Create a landing page for a bakery" });
        await alice.WaitForStatus(id, s => s == "completed");

        var list = await alice.GetFromJsonAsync<JsonElement>($"/api/agent/executions/{id}/files");
        var page = await alice.GetAsync($"/api/agent/executions/{id}/files/index.html");

        Assert.Equal(["README.md", "index.html"], list.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h2>Bakery</h2>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await alice.GetAsync($"/api/agent/executions/{id}/files/missing.txt")).AssertProblem(404);
        await (await alice.GetAsync($"/api/agent/executions/{id}/files/..%5C..%5Cetc%5Cpasswd")).AssertProblem(400);
        await (await bob.GetAsync($"/api/agent/executions/{id}/files")).AssertProblem(404);
        await (await bob.GetAsync($"/api/agent/executions/{id}/files/index.html")).AssertProblem(404);
    }

    [Fact]
    public async Task Cancel_takes_an_optional_reason_and_is_idempotent()
    {
        using var alice = await Server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(1, 10_000, 10, 1));
        await alice.WaitForStatus(id, s => s == "running");

        var first = await alice.PostAsJsonAsync($"/api/agent/executions/{id}/cancel", new { reason = "changed my mind" });
        var second = await alice.PostAsync($"/api/agent/executions/{id}/cancel", null);
        var frames = await alice.ReadStream(streamUrl);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.True((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelled").GetBoolean());
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.False((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("cancelled").GetBoolean());
        var cancelled = Assert.IsType<Orleans.Agent.Events.ExecutionCancelledData>(frames[^1].Event.Data);
        Assert.Equal(("changed my mind", "alice"), (cancelled.Reason, cancelled.By));
    }
}
