using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Agent.Tests;

internal static class ApiTestHelpers
{
    public static object Workload(int phases, int steps, int delayMs, int thoughtBytes) =>
        new { task = "synthetic load", context = new { workload = new { phases, steps, delayMs, thoughtBytes } } };

    /// <summary>POSTs a task and returns (executionId, streamUrl), asserting the 202.</summary>
    public static async Task<(string Id, string StreamUrl)> Execute(this HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/agent/execute", body);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (json.GetProperty("executionId").GetString()!, json.GetProperty("streamUrl").GetString()!);
    }

    public static async Task<JsonElement> Snapshot(this HttpClient client, string executionId) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/agent/executions/{executionId}");

    /// <summary>Polls the snapshot until its status satisfies <paramref name="done"/> or the deadline passes.</summary>
    public static async Task<JsonElement> WaitForStatus(this HttpClient client, string executionId, Func<string, bool> done)
    {
        var deadline = DateTime.UtcNow + ApiServer.Deadline;
        while (true)
        {
            var snapshot = await client.Snapshot(executionId);
            if (done(snapshot.GetProperty("status").GetString()!))
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Execution {executionId} stayed {snapshot.GetProperty("status")}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing at the deadline.</summary>
    public static Task Eventually(Func<Task<bool>> condition) => Poll.Until(condition, ApiServer.Deadline);

    public static Task Eventually(Func<bool> condition) => Eventually(() => Task.FromResult(condition()));

    public static async Task<JsonElement> AssertProblem(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }
}
