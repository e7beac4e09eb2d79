using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.LiveText;
using Orleans.Agent.Serialization;
using Orleans.Serialization;

namespace Orleans.Agent.Tests;

/// <summary>docs/events.md is the contract: every example in it must be exactly what the code reads and writes.</summary>
public sealed partial class EventContractTests
{
    private static readonly List<(string Heading, string Json)> Examples =
        [.. DocumentedEvents.Examples.Where(e => !e.Live).Select(e => (e.Heading, e.Json))];

    public static TheoryData<int> ExampleIndexes() => [.. Enumerable.Range(0, Examples.Count)];

    [Fact]
    public void Every_event_type_has_a_documented_example_under_its_own_heading()
    {
        var documented = Examples.Select(e => e.Heading).ToHashSet();
        Assert.Equal(AgentEventTypes.PayloadTypes.Keys.Order(), documented.Order());
        Assert.All(Examples, e => Assert.Equal(e.Heading, JsonDocument.Parse(e.Json).RootElement.GetProperty("type").GetString()));
    }

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void Documented_example_round_trips_through_the_contract_unchanged(int index)
    {
        var documented = JsonDocument.Parse(Examples[index].Json).RootElement;

        var evt = JsonSerializer.Deserialize<AgentEvent>(documented.GetRawText(), AgentJson.Options)!;
        var written = JsonDocument.Parse(JsonSerializer.Serialize(evt, AgentJson.Options)).RootElement;

        Assert.IsType(AgentEventTypes.PayloadTypes[evt.Type], evt.Data);
        Assert.True(JsonElement.DeepEquals(documented, written), $"documented:\n{documented}\nwritten:\n{written}");
    }

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void Documented_example_survives_orleans_serialization(int index)
    {
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var evt = JsonSerializer.Deserialize<AgentEvent>(Examples[index].Json, AgentJson.Options)!;

        var copy = serializer.Deserialize<AgentEvent>(serializer.SerializeToArray(evt));

        Assert.Equal(JsonSerializer.Serialize(evt, AgentJson.Options), JsonSerializer.Serialize(copy, AgentJson.Options));
    }

    [Fact]
    public void Timestamps_are_written_in_utc_with_a_z_suffix_whatever_their_offset()
    {
        var local = new DateTimeOffset(2026, 11, 24, 12, 0, 0, 5, TimeSpan.FromHours(2));
        var evt = new AgentEvent("e", 1, AgentEventTypes.ExecutionStarted, local, new ExecutionStartedData("t", local));

        var json = JsonDocument.Parse(JsonSerializer.Serialize(evt, AgentJson.Options)).RootElement;

        Assert.Equal("2026-11-24T10:00:00.005Z", json.GetProperty("timestamp").GetString());
        Assert.Equal("2026-11-24T10:00:00.005Z", json.GetProperty("data").GetProperty("startedAt").GetString());
    }

    [Fact]
    public void A_thought_with_newlines_is_written_on_one_line()
    {
        var evt = new AgentEvent("e", 4, AgentEventTypes.Thinking, DateTimeOffset.UnixEpoch, new ThinkingData("one\ntwo\r\nthree", 1));

        var json = JsonSerializer.Serialize(evt, AgentJson.Options);

        Assert.DoesNotContain('\n', json);
        Assert.DoesNotContain('\r', json);
        Assert.Equal("one\ntwo\r\nthree", ((ThinkingData)JsonSerializer.Deserialize<AgentEvent>(json, AgentJson.Options)!.Data).Thought);
    }

    [Fact]
    public void An_unknown_event_type_is_refused_when_read()
    {
        const string json = """{"executionId":"e","sequence":1,"type":"execution:paused","timestamp":"2026-11-24T10:00:00.000Z","data":{}}""";

        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<AgentEvent>(json, AgentJson.Options));
    }

    [Fact]
    public void Plan_phase_status_is_a_camel_case_string()
    {
        var plan = new ExecutionPlan("g", ImmutableArray.Create(new PlanPhase("p", "P", PhaseStatus.Running)));

        var json = JsonSerializer.Serialize(plan, AgentJson.Options);

        Assert.Contains("\"status\":\"running\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void The_failure_codes_table_in_the_docs_is_the_failure_catalogue()
    {
        var documented = FailureRow().Matches(DocumentedEvents.Markdown).Select(m => new KeyValuePair<string, string>(m.Groups["code"].Value, m.Groups["meaning"].Value.Trim()));

        Assert.Equal(ExecutionFailures.Meanings, documented);
    }

    [Fact]
    public void Every_failure_code_is_a_distinct_snake_case_word()
    {
        var codes = ExecutionFailures.Meanings.Select(m => m.Key).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
        Assert.All(codes, c => Assert.Matches("^[a-z]+(_[a-z]+)*$", c));
        Assert.All(ExecutionFailures.Meanings, m => Assert.EndsWith(".", m.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Live_text_examples_are_exactly_what_the_contract_types_read_and_write()
    {
        var markdown = DocumentedEvents.Markdown;
        var examples = DocumentedEvents.Examples.Where(e => e.Live).Select(e => JsonDocument.Parse(e.Json).RootElement).ToList();

        Assert.Equal(2, examples.Count);
        foreach (var documented in examples)
        {
            object value = documented.TryGetProperty("offset", out _)
                ? JsonSerializer.Deserialize<TextDelta>(documented.GetRawText(), AgentJson.Options)!
                : JsonSerializer.Deserialize<TextReset>(documented.GetRawText(), AgentJson.Options)!;
            var written = JsonDocument.Parse(JsonSerializer.Serialize(value, value.GetType(), AgentJson.Options)).RootElement;
            Assert.True(JsonElement.DeepEquals(documented, written), $"documented:\n{documented}\nwritten:\n{written}");
        }

        Assert.Contains($"### `{TextDelta.EventType}`", markdown, StringComparison.Ordinal);
        Assert.Contains($"### `{TextReset.EventType}`", markdown, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\| `(?<code>[a-z_]+)` \| (?<meaning>[^|\n]+) \|$", RegexOptions.Multiline)]
    private static partial Regex FailureRow();
}
