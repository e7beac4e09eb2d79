using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Agent.Tests;

/// <summary>Synthetic executions on a cluster's API node, as the fault tests start and watch them.</summary>
internal static class ClusterRuns
{
    /// <summary>Starts <paramref name="count"/> synthetic executions; their ids, in order.</summary>
    public static async Task<List<string>> Start(HttpClient api, int count, int phases, int steps, int delayMs)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var response = await api.PostAsJsonAsync("/api/agent/execute",
                new { task = "cluster run", context = new { workload = new { phases, steps, delayMs, thoughtBytes = 20 } } });
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString()!);
        }

        return ids;
    }

    /// <summary>Waits until every execution has at least <paramref name="events"/> durable events: all are mid-run.</summary>
    public static Task UntilEachHas(HttpClient api, IEnumerable<string> ids, long events, TimeSpan deadline) =>
        Poll.Until(async () =>
        {
            foreach (var id in ids)
            {
                if ((await api.GetFromJsonAsync<JsonElement>($"/api/agent/executions/{id}")).GetProperty("lastSequence").GetInt64() < events)
                {
                    return false;
                }
            }

            return true;
        }, deadline);
}
