using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Orleans.Agent.Events;

namespace Orleans.Agent.Tests;

/// <summary>
/// Alone in the test process while it runs: activity listeners are process-wide, so other servers' executions would
/// be traced (and carry trace ids) while this one listens.
/// </summary>
[CollectionDefinition(nameof(TracingCollection), DisableParallelization = true)]
public sealed class TracingCollection;

[Collection(nameof(TracingCollection))]
public sealed class TracingTests
{
    [Fact]
    public async Task One_trace_runs_from_the_post_through_the_grain_to_every_model_and_tool_call_with_the_gen_ai_attributes()
    {
        var spans = new List<Activity>();
        var streamActivities = new ActivityCheck();
        string id;
        List<SseReading.Frame> frames;
        JsonElement snapshot;
        var caller = ActivityTraceId.CreateRandom();
        var callerSpan = ActivitySpanId.CreateRandom();
        await using (var server = await ApiServer.Start("Development",
            builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                builder.Services.AddSingleton<IStartupFilter>(streamActivities);
            },
            "--Tracing:Enabled=true"))
        {
            using var alice = await server.SignIn("alice");
            using var post = new HttpRequestMessage(HttpMethod.Post, "/api/agent/execute")
            {
                Content = JsonContent.Create(new { task = "Create a landing page for a coffee shop" }),
                Headers = { { "traceparent", $"00-{caller}-{callerSpan}-01" } },
            };
            var started = await alice.SendAsync(post);
            id = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("executionId").GetString()!;
            frames = await alice.ReadStream($"/api/agent/stream/{id}");
            snapshot = await alice.Snapshot(id);
            // The run's span ends once its terminal event is durable, which a client may see first.
            await ApiTestHelpers.Eventually(() => spans.ToArray().Any(s => s?.OperationName.StartsWith("invoke_agent", StringComparison.Ordinal) == true));
        }

        // The caller's trace continues: its id is in execution:started and in the snapshot.
        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Equal(caller.ToHexString(), ((ExecutionStartedData)frames[0].Event.Data).TraceId);
        Assert.Equal(caller.ToHexString(), snapshot.GetProperty("traceId").GetString());

        var trace = spans.Where(s => s.TraceId == caller).ToList();
        var request = Assert.Single(trace, s => s.Kind == ActivityKind.Server);
        Assert.Equal("POST /api/agent/execute", request.DisplayName);
        Assert.Equal(callerSpan, request.ParentSpanId);
        Assert.Equal(id, request.GetTagItem("orleans_agent.execution.id"));

        var run = Assert.Single(trace, s => s.OperationName == "invoke_agent orleans-agent");
        Assert.Equal(request.SpanId, run.ParentSpanId);
        Assert.Equal("invoke_agent", run.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(id, run.GetTagItem("gen_ai.conversation.id"));

        // Every model call: planning, each phase's turns, the final answer; with the model and the tokens.
        var chats = trace.Where(s => Equals(s.GetTagItem("gen_ai.operation.name"), "chat")).ToList();
        Assert.True(chats.Count >= 3, $"{chats.Count} chat spans");
        Assert.All(chats, chat =>
        {
            Assert.Equal(run.SpanId, chat.ParentSpanId);
            Assert.NotNull(chat.GetTagItem("gen_ai.request.model"));
            Assert.NotNull(chat.GetTagItem("gen_ai.usage.input_tokens"));
            Assert.NotNull(chat.GetTagItem("gen_ai.usage.output_tokens"));
        });

        // Every tool call, one span each, named by the tool and carrying the call id the events carry.
        var toolStarts = frames.Where(f => f.Type == AgentEventTypes.ToolStart).Select(f => (ToolStartData)f.Event.Data).ToList();
        var tools = trace.Where(s => Equals(s.GetTagItem("gen_ai.operation.name"), "execute_tool")).ToList();
        Assert.NotEmpty(toolStarts);
        Assert.Equal(toolStarts.Select(t => t.CallId).Order(), tools.Select(t => (string)t.GetTagItem("gen_ai.tool.call.id")!).Order());
        Assert.All(tools, tool =>
        {
            Assert.Equal(run.SpanId, tool.ParentSpanId);
            Assert.Equal($"execute_tool {tool.GetTagItem("gen_ai.tool.name")}", tool.DisplayName);
        });

        // Nothing else of the product made a trace of its own: stream reads and pushes are not traced, and the stream
        // request itself ran without an Activity (none would be kept for the connection's life).
        Assert.DoesNotContain(spans, s => s.TraceId != caller && s.Source.Name == "Orleans.Agent");
        Assert.Equal((1, 0), (streamActivities.Streams, streamActivities.WithActivity));
    }

    /// <summary>Counts stream requests, and those that run with an Activity, at the front of the pipeline.</summary>
    private sealed class ActivityCheck : IStartupFilter
    {
        public int Streams;
        public int WithActivity;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (http, inner) =>
            {
                if (http.Request.Path.StartsWithSegments("/api/agent/stream"))
                {
                    Interlocked.Increment(ref Streams);
                    if (Activity.Current is not null || http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpActivityFeature>() is not null)
                    {
                        Interlocked.Increment(ref WithActivity);
                    }
                }

                await inner();
            });
            next(app);
        };
    }

    [Fact]
    public async Task Without_tracing_an_execution_has_no_trace_id()
    {
        await using var server = await ApiServer.Start("Development");
        using var alice = await server.SignIn("alice");
        var (id, streamUrl) = await alice.Execute(new { task = "Create a landing page for a coffee shop" });

        var frames = await alice.ReadStream(streamUrl);

        Assert.False(frames[0].Data.GetProperty("data").TryGetProperty("traceId", out _));
        Assert.False((await alice.Snapshot(id)).TryGetProperty("traceId", out _));
    }
}
