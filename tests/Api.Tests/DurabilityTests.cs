using System.Net.Http.Json;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Tests;

/// <summary>The API on each durable store: what survives a restart, and resume as a property.</summary>
public sealed class DurabilityTests
{
    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task A_finished_execution_replays_in_full_from_a_new_host_on_the_same_store(string kind)
    {
        await using var store = await DurableStore.Start(kind);
        string id, streamUrl;
        List<string> before;
        await using (var first = await ApiServer.Start("Development", store.Settings))
        {
            using var alice = await first.SignIn("alice");
            (id, streamUrl) = await alice.Execute(ApiTestHelpers.Workload(3, 10, 0, 200));
            before = (await alice.ReadStream(streamUrl)).Select(f => Json(f.Event)).ToList();
        }

        await using var second = await ApiServer.Start("Development", store.Settings);
        using var again = await second.SignIn("alice");
        using var stranger = await second.SignIn("mallory");
        var after = (await again.ReadStream(streamUrl)).Select(f => Json(f.Event)).ToList();
        var snapshot = await again.Snapshot(id);
        var listed = await again.GetFromJsonAsync<JsonElement>("/api/agent/executions"); // the owner's index is in the store too

        Assert.Equal(99, before.Count);
        Assert.Equal(before, after);
        Assert.Equal("completed", snapshot.GetProperty("status").GetString());
        Assert.Equal(99, snapshot.GetProperty("lastSequence").GetInt64());
        var entry = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(id, entry.GetProperty("executionId").GetString());
        Assert.Equal("completed", entry.GetProperty("status").GetString());
        await (await stranger.GetAsync(streamUrl)).AssertProblem(404);
    }

    [Theory]
    [MemberData(nameof(DurableStore.Kinds), MemberType = typeof(DurableStore))]
    public async Task Whatever_the_disconnect_points_the_received_events_are_exactly_the_log(string kind)
    {
        await using var store = await DurableStore.Start(kind);
        await using var server = await ApiServer.Start("Development", store.Settings);
        using var alice = await server.SignIn("alice");
        var random = new Random(7);

        for (var run = 0; run < 6; run++)
        {
            // Every other run resumes through a type filter: the same property must hold for the filtered log.
            var filtered = run % 2 == 1;
            var (_, executionUrl) = await alice.Execute(ApiTestHelpers.Workload(2, 15, 5, 20));
            var streamUrl = filtered ? executionUrl + "?types=thinking,tool:complete,execution:complete" : executionUrl;
            var received = new List<SseReading.Frame>();
            string? lastId = null;
            var connections = 0;
            while (received.Count == 0 || received[^1].Type != AgentEventTypes.ExecutionComplete)
            {
                // Take a random number of frames, hang up, sometimes wait while events keep coming, resume.
                var take = random.Next(1, 25);
                received.AddRange(await alice.ReadStream(streamUrl, lastId, maxFrames: take));
                lastId = received.Count > 0 ? received[^1].Id : null;
                connections++;
                if (random.Next(3) == 0)
                {
                    await Task.Delay(random.Next(10, 60));
                }
            }

            var log = (await alice.ReadStream(executionUrl))
                .Where(f => !filtered || f.Type is AgentEventTypes.Thinking or AgentEventTypes.ToolComplete or AgentEventTypes.ExecutionComplete)
                .ToList();
            Assert.Equal(log.Select(f => Json(f.Event)), received.Select(f => Json(f.Event)));
            Assert.Equal(filtered ? 2 * 15 * 2 + 1 : 3 + 2 * (2 + 3 * 15), received.Count);
            Assert.True(connections > 1);
        }
    }

    private static string Json(AgentEvent evt) => JsonSerializer.Serialize(evt, AgentJson.Options);
}
