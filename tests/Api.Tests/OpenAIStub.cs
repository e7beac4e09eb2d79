using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Orleans.Agent.Tests;

/// <summary>
/// An OpenAI-compatible chat completions server on loopback, outside the product, scripted per task: the first
/// user message's "Task: ..." line selects a script, and the number of assistant messages in the request selects
/// the turn. It streams like OpenAI (chunks with content, tool_calls, finish_reason, then a usage chunk, [DONE])
/// and records every request it gets.
/// </summary>
public sealed class OpenAIStub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StubTurn[]> _scripts = new();
    private WebApplication _app = null!;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    /// <summary>Requests whose client hung up while the stub was holding them (a cancelled model call).</summary>
    public ConcurrentQueue<string> AbortedRequests { get; } = new();

    /// <summary>Fires when a <see cref="StubTurn.Hang"/> turn starts holding its request.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource> Hanging { get; } = new();

    public static async Task<OpenAIStub> Start()
    {
        var stub = new OpenAIStub();
        (stub._app, var address) = await LoopbackHost.Start(app => app.MapPost("/v1/chat/completions", stub.Complete));
        stub.BaseUrl = new Uri(address + "/v1");
        return stub;
    }

    public void Script(string task, params StubTurn[] turns) => _scripts[task] = turns;

    public IEnumerable<JsonElement> RequestsFor(string task) => Requests.Where(r => TaskOf(r) == task);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task Complete(HttpContext http)
    {
        var request = await JsonSerializer.DeserializeAsync<JsonElement>(http.Request.Body);
        Requests.Enqueue(request);
        var task = TaskOf(request);
        var turnIndex = request.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("role").GetString() == "assistant");
        if (task is null || !_scripts.TryGetValue(task, out var turns) || turnIndex >= turns.Length)
        {
            http.Response.StatusCode = 500;
            await http.Response.WriteAsync($"No scripted turn {turnIndex} for task '{task}'.");
            return;
        }

        var turn = turns[turnIndex];
        var model = request.GetProperty("model").GetString();
        http.Response.ContentType = "text/event-stream";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await Send(http, Chunk(model, new { role = "assistant", content = "" }, null));
        foreach (var text in turn.Text)
        {
            await Send(http, Chunk(model, new { content = text }, null));
        }

        if (turn.Gate is { } gate)
        {
            await gate.Task.WaitAsync(http.RequestAborted); // the test has seen the text arrive
        }

        if (turn.Hang)
        {
            Hanging.GetOrAdd(task, _ => new TaskCompletionSource()).TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                AbortedRequests.Enqueue(task);
                return;
            }
        }

        for (var i = 0; i < turn.Calls.Length; i++)
        {
            var call = turn.Calls[i];
            var delta = new
            {
                tool_calls = new[]
                {
                    new { index = i, id = call.Id, type = "function", function = new { name = call.Name, arguments = JsonSerializer.Serialize(call.Arguments) } },
                },
            };
            await Send(http, Chunk(model, delta, null));
        }

        await Send(http, Chunk(model, new { }, turn.Calls.Length > 0 ? "tool_calls" : "stop"));
        await Send(http, new
        {
            id = "chatcmpl-stub", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(),
            usage = new { prompt_tokens = turn.PromptTokens, completion_tokens = turn.CompletionTokens, total_tokens = turn.PromptTokens + turn.CompletionTokens },
        });
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static object Chunk(string? model, object delta, string? finishReason) => new
    {
        id = "chatcmpl-stub", @object = "chat.completion.chunk", created = 1_700_000_000, model,
        choices = new[] { new { index = 0, delta, finish_reason = finishReason } },
    };

    private static async Task Send(HttpContext http, object payload)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload) + "\n\n", Encoding.UTF8);
        await http.Response.Body.FlushAsync();
    }

    private static string? TaskOf(JsonElement request)
    {
        var user = request.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.GetProperty("role").GetString() == "user");
        var content = user.ValueKind == JsonValueKind.Object ? ContentText(user.GetProperty("content")) : null;
        var line = content?.Split('\n')[0];
        return line is not null && line.StartsWith("Task: ", StringComparison.Ordinal) ? line["Task: ".Length..] : null;
    }

    private static string? ContentText(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString(),
        JsonValueKind.Array => string.Concat(content.EnumerateArray().Select(p => p.TryGetProperty("text", out var t) ? t.GetString() : "")),
        _ => null,
    };
}

/// <summary>
/// One scripted model turn: streamed text pieces, then tool calls, then usage. <see cref="Hang"/> holds the request open
/// until the client hangs up; <see cref="Gate"/> holds it after the text until the test completes the gate.
/// </summary>
public sealed record StubTurn(
    string[] Text, StubCall[] Calls, int PromptTokens = 10, int CompletionTokens = 5, bool Hang = false, TaskCompletionSource? Gate = null)
{
    public static StubTurn Say(params string[] text) => new(text, []);
}

public sealed record StubCall(string Id, string Name, object Arguments);
