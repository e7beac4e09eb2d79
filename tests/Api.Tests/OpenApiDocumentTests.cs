using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Events;
using Orleans.Agent.LiveText;

namespace Orleans.Agent.Tests;

/// <summary>
/// <c>/openapi/v1.json</c> describes every route the API maps, with the answers each can give, and its schemas hold
/// what the stream really writes; the copy the web client generates its types from is the served document.
/// </summary>
public sealed class OpenApiDocumentTests
{
    /// <summary>Every operation and each status it can answer with: what a client must be ready for.</summary>
    private static readonly Dictionary<string, int[]> Statuses = new()
    {
        ["startExecution"] = [202, 400, 401, 413, 415, 429, 503],
        ["listExecutions"] = [200, 400, 401, 503],
        ["getExecution"] = [200, 401, 404, 503],
        ["cancelExecution"] = [202, 400, 401, 404, 409, 413, 415, 503],
        ["listFiles"] = [200, 401, 404, 503],
        ["readFile"] = [200, 400, 401, 404, 503],
        ["readArtifact"] = [200, 400, 401, 404, 503],
        ["issueStreamToken"] = [200, 401, 404, 503],
        ["streamExecution"] = [200, 204, 400, 401, 404, 429, 503],
        ["issueDevToken"] = [200, 400, 404, 413, 415],
    };

    [Fact]
    public async Task Every_route_the_api_maps_is_described_with_its_answers_and_who_may_call_it()
    {
        await using var server = await ApiServer.Start("Development");
        var document = await Document(server);

        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m.ToLowerInvariant()} {e.RoutePattern.RawText!.Replace("{**", "{", StringComparison.Ordinal)}"))
            .Order().ToList();
        var operations = Operations(document).ToList();

        Assert.Equal(mapped, operations.Select(o => o.Route).Order());
        Assert.Equal(Statuses.Keys.Order(), operations.Select(o => o.Id).Order());
        foreach (var (route, id, operation) in operations)
        {
            var responses = operation["responses"]!.AsObject();
            Assert.True(Statuses[id].Order().SequenceEqual(responses.Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).Order()),
                $"{route}: {string.Join(", ", responses.Select(r => r.Key))}");
            foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
            {
                Assert.Equal("#/components/schemas/ProblemDetails", (string?)response!["content"]!["application/problem+json"]!["schema"]!["$ref"]);
            }

            var schemes = operation["security"]?.AsArray().Select(r => string.Join('+', r!.AsObject().Select(s => s.Key))).ToArray() ?? [];
            string[] expected = id switch
            {
                "issueDevToken" => [],
                "streamExecution" or "readFile" => ["bearer", "streamToken"],
                _ => ["bearer"],
            };
            Assert.True(expected.SequenceEqual(schemes), $"{route}: {string.Join(", ", schemes)}");
        }

        var securitySchemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("bearer", (string?)securitySchemes["bearer"]!["scheme"]);
        Assert.Equal("access_token", (string?)securitySchemes["streamToken"]!["name"]);
        Assert.Equal("query", (string?)securitySchemes["streamToken"]!["in"]);
        var stream = document["paths"]!["/api/agent/stream/{executionId}"]!["get"]!;
        Assert.Equal("#/components/schemas/StreamFrame", (string?)stream["responses"]!["200"]!["content"]!["text/event-stream"]!["schema"]!["$ref"]);
        Assert.Equal(["executionId", "Last-Event-ID", "lastEventId", "types", "deltas"], stream["parameters"]!.AsArray().Select(p => (string)p!["name"]!));
    }

    [Fact]
    public async Task The_event_schemas_hold_every_frame_a_run_streams_and_every_documented_example()
    {
        // Text written at a pace, so that the run streams deltas of it.
        await using var server = await ApiServer.Start("Development", "--Model:BuiltinChunkDelay=00:00:00.002");
        var document = await Document(server);
        using var alice = await server.SignIn("alice");

        // A builtin run (plan, phases, thoughts, tools, result) with its live text, a cancelled run, and a cursor ahead of
        // the end, which is answered with stream:reset.
        var (_, url) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });
        var frames = await RawFrames(alice, url + "?deltas=true", lastEventId: null);
        var (cancelledId, cancelledUrl) = await alice.Execute(ApiTestHelpers.Workload(phases: 1, steps: 1000, delayMs: 20, thoughtBytes: 10));
        (await alice.PostAsJsonAsync($"/api/agent/executions/{cancelledId}/cancel", new { reason = "enough" })).EnsureSuccessStatusCode();
        frames.AddRange(await RawFrames(alice, cancelledUrl, lastEventId: null));
        frames.AddRange(await RawFrames(alice, cancelledUrl, lastEventId: "100000"));

        var seen = frames.Select(f => f.Type).ToHashSet();
        string[] expected = [.. AgentEventTypes.PayloadTypes.Keys.Except([AgentEventTypes.ExecutionError]), TextDelta.EventType, "stream:reset"];
        Assert.True(seen.IsSupersetOf(expected), $"missing: {string.Join(", ", expected.Except(seen))}");
        foreach (var (type, data) in frames)
        {
            AssertValid(document, "StreamFrame", data, type);
            AssertValid(document, SchemaOf(document, type), data, type);
        }

        var examples = DocumentedEvents.Examples;
        Assert.True(examples.Select(e => e.Heading).ToHashSet().IsSupersetOf([.. AgentEventTypes.PayloadTypes.Keys, TextDelta.EventType, TextReset.EventType]));
        foreach (var (heading, json, _) in examples)
        {
            AssertValid(document, SchemaOf(document, heading), json, heading);
        }

        // Not a schema that takes anything: a thought without its text, or one typed as another event, is refused.
        var thinking = frames.First(f => f.Type == AgentEventTypes.Thinking).Data;
        var withoutThought = JsonNode.Parse(thinking)!;
        withoutThought["data"]!.AsObject().Remove("thought");
        var mistyped = JsonNode.Parse(thinking)!;
        mistyped["type"] = AgentEventTypes.ToolStart;
        Assert.False(Evaluate(document, "AgentEvent", withoutThought.ToJsonString()).IsValid);
        Assert.False(Evaluate(document, "AgentEvent", mistyped.ToJsonString()).IsValid);
    }

    [Fact]
    public async Task The_web_clients_copy_of_the_document_is_the_served_one()
    {
        await using var server = await ApiServer.Start("Development");
        var served = await Document(server);

        var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(CheckedInPath))!;

        Assert.True(JsonNode.DeepEquals(served, checkedIn),
            $"{Path.GetRelativePath(TestPaths.RepositoryRoot, CheckedInPath)} differs from /openapi/v1.json: run scripts/update-openapi.sh (it also regenerates the web client's types).");
    }

    [Fact]
    public async Task The_document_is_served_in_production_and_the_reference_page_only_in_development()
    {
        await using var production = await ApiServer.Start("Production", "--Auth:SigningKey=an-openapi-test-key-of-at-least-32-chars");
        await using var development = await ApiServer.Start("Development");
        using var anonymous = production.Anonymous();
        using var devAnonymous = development.Anonymous();

        var document = JsonNode.Parse(await anonymous.GetStringAsync("/openapi/v1.json"))!;
        var page = await devAnonymous.GetAsync("/scalar/");
        var noPage = await anonymous.GetAsync("/scalar/");

        Assert.Null(document["paths"]!["/api/dev/token"]);
        Assert.NotNull(document["paths"]!["/api/agent/execute"]);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Orleans.Agent API", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, noPage.StatusCode);
    }

    private static string CheckedInPath => Path.Combine(TestPaths.RepositoryRoot, "clients", "web", "packages", "client", "openapi", "v1.json");

    private static async Task<JsonNode> Document(ApiServer server)
    {
        using var anonymous = server.Anonymous();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static IEnumerable<(string Route, string Id, JsonObject Operation)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from operation in path.Value!.AsObject()
        select ($"{operation.Key} {path.Key}", (string)operation.Value!["operationId"]!, operation.Value!.AsObject());

    /// <summary>The component a frame of <paramref name="type"/> is: its event envelope (by the discriminator), or a live frame's.</summary>
    private static string SchemaOf(JsonNode document, string type) => type switch
    {
        TextDelta.EventType => "TextDelta",
        TextReset.EventType => "TextReset",
        "stream:reset" => "StreamReset",
        _ => ((string)document["components"]!["schemas"]!["AgentEvent"]!["discriminator"]!["mapping"]![type]!).Split('/')[^1],
    };

    private static void AssertValid(JsonNode document, string schema, string json, string what)
    {
        var result = Evaluate(document, schema, json);
        Assert.True(result.IsValid, $"{what} is not a valid {schema}: {json}\n" +
            string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    /// <summary>Validates against a component as JSON Schema 2020-12 (which OpenAPI 3.1's schemas are).</summary>
    private static EvaluationResults Evaluate(JsonNode document, string component, string json)
    {
        var definitions = document["components"]!["schemas"]!.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var schema = JsonSchema.FromText($$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{definitions}},"$ref":"#/$defs/{{component}}"}""");
        using var instance = JsonDocument.Parse(json);
        return schema.Evaluate(instance.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    private static async Task<List<(string Type, string Data)>> RawFrames(HttpClient client, string url, string? lastEventId)
    {
        var frames = new List<(string, string)>();
        await client.ReadFrames(url, lastEventId, max: 10_000, frame =>
        {
            frames.Add((frame.EventType, frame.Data));
            return true; // the server ends the response after the terminal event
        });
        return frames;
    }
}
