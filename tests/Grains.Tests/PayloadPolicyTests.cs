using System.Security.Cryptography;
using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Executions;

namespace Orleans.Agent.Tests;

public sealed class PayloadPolicyTests
{
    private const int Limit = 8 * 1024;

    [Fact]
    public void Values_within_the_limit_stay_in_their_events_and_the_batch_is_not_copied()
    {
        AgentEvent[] events = [Start(new { path = "a.txt", content = new string('x', Limit - 100) }), Complete(new { path = "a.txt", bytes = 3 })];

        var (applied, artifacts) = PayloadPolicy.Apply(events, Limit);

        Assert.Same(events, applied);
        Assert.Empty(artifacts);
    }

    [Fact]
    public void A_large_value_becomes_a_preview_of_the_same_shape_and_a_reference_to_its_exact_bytes()
    {
        var content = "🦦" + new string('y', 20_000); // a surrogate pair first: never cut in half
        var start = Start(new { path = "big.txt", content, lines = new[] { 1, 2, 3 } });
        var complete = Complete(new { path = "big.txt", content });

        var (applied, artifacts) = PayloadPolicy.Apply([start, complete], Limit);

        var startData = Assert.IsType<ToolStartData>(applied[0].Data);
        var completeData = Assert.IsType<ToolCompleteData>(applied[1].Data);
        Assert.Equal("big.txt", startData.Params.GetProperty("path").GetString());
        Assert.Equal(content[..PayloadPolicy.PreviewChars] + "…", startData.Params.GetProperty("content").GetString());
        Assert.Equal("[1,2,3]", startData.Params.GetProperty("lines").GetRawText());
        Assert.Equal(content[..PayloadPolicy.PreviewChars] + "…", completeData.Result!.Value.GetProperty("content").GetString());
        Assert.Equal(2, artifacts.Count);
        foreach (var (reference, original, artifact) in new[]
        {
            (startData.ParamsRef!, ((ToolStartData)start.Data).Params, artifacts[0]),
            (completeData.ResultRef!, ((ToolCompleteData)complete.Data).Result!.Value, artifacts[1]),
        })
        {
            Assert.Equal(original.GetRawText(), System.Text.Encoding.UTF8.GetString(artifact.Content));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(artifact.Content)), reference.Sha256);
            Assert.Equal(artifact.Sha256, reference.Sha256);
            Assert.Equal(artifact.Content.Length, reference.Size);
            Assert.Equal($"/api/agent/executions/e1/artifacts/{reference.Sha256}", reference.Url);
        }

        Assert.Equal((applied[0].Sequence, applied[0].Timestamp), (start.Sequence, start.Timestamp));
    }

    [Fact]
    public void A_value_made_of_thousands_of_small_parts_is_previewed_as_the_start_of_its_text()
    {
        var start = Start(new { rows = Enumerable.Range(0, 5_000).ToArray() });

        var (applied, _) = PayloadPolicy.Apply([start], Limit);

        var preview = Assert.IsType<ToolStartData>(applied[0].Data).Params;
        Assert.Equal(JsonValueKind.String, preview.ValueKind);
        Assert.StartsWith("{\"rows\":[0,1,2,", preview.GetString(), StringComparison.Ordinal);
        Assert.True(preview.GetString()!.Length <= PayloadPolicy.PreviewChars + 1);
    }

    [Fact]
    public void A_failed_call_without_a_result_is_left_alone()
    {
        var failed = new AgentEvent("e1", 2, AgentEventTypes.ToolComplete, DateTimeOffset.UtcNow, new ToolCompleteData("read_file", "c1", null, new string('e', 20_000), 1));

        var (applied, artifacts) = PayloadPolicy.Apply([failed], Limit);

        Assert.Same(failed, applied[0]);
        Assert.Empty(artifacts);
    }

    [Fact]
    public async Task Restoring_from_the_artifacts_gives_back_the_events_as_emitted_and_a_lost_artifact_keeps_its_preview()
    {
        AgentEvent[] emitted = [Start(new { path = "big.txt", content = new string('p', 20_000) }), Complete(new { content = new string('r', 20_000) })];
        var (applied, artifacts) = PayloadPolicy.Apply(emitted, Limit);
        var store = new Orleans.Agent.Grains.Storage.MemoryExecutionLogStore();
        await store.PutArtifacts("e1", [artifacts[0]]); // the result's artifact is lost

        var restored = await PayloadPolicy.Restore(applied, sha256 => store.ReadArtifact("e1", sha256));

        Assert.Equal(JsonSerializer.Serialize(emitted[0]), JsonSerializer.Serialize(restored[0]));
        Assert.Same(applied[1], restored[1]);
    }

    private static AgentEvent Start(object parameters) =>
        new("e1", 1, AgentEventTypes.ToolStart, DateTimeOffset.UtcNow, new ToolStartData("create_file", JsonSerializer.SerializeToElement(parameters), "c1"));

    private static AgentEvent Complete(object result) =>
        new("e1", 2, AgentEventTypes.ToolComplete, DateTimeOffset.UtcNow, new ToolCompleteData("create_file", "c1", JsonSerializer.SerializeToElement(result), null, 1));
}
