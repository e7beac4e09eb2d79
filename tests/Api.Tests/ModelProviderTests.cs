using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Models;

namespace Orleans.Agent.Tests;

/// <summary>A host adds its own model provider through DI, and the loop runs on it unchanged.</summary>
public sealed class ModelProviderTests
{
    [Fact]
    public async Task A_model_a_host_registers_runs_through_the_unchanged_loop_when_a_request_names_it()
    {
        var scripted = new ScriptedChatClient("Done by the host's own model.");
        await using var server = await ApiServer.Start("Development", builder => builder.Services.AddAgentModel("scripted", _ => scripted));
        using var alice = await server.SignIn("alice");

        var (_, url) = await alice.Execute(new { task = "Say something", context = new { model = "scripted" } });
        var frames = await alice.ReadStream(url);
        var callsForIt = scripted.Calls;
        var (_, builtinUrl) = await alice.Execute(new { task = "Say something" }); // the default stays the configured provider's
        var builtin = await alice.ReadStream(builtinUrl);
        var refused = await alice.PostAsJsonAsync("/api/agent/execute", new { task = "x", context = new { model = "unknown" } });

        Assert.Equal(AgentEventTypes.ExecutionComplete, frames[^1].Type);
        Assert.Equal("Done by the host's own model.", ((ExecutionCompleteData)frames[^1].Event.Data).Result);
        Assert.Contains(frames, f => f.Event.Data is ThinkingData { Thought: "Done by the host's own model." });
        Assert.True(callsForIt >= 3, $"{callsForIt} model calls: planning, the phase and the final turn");
        Assert.Equal(AgentEventTypes.ExecutionComplete, builtin[^1].Type);
        Assert.Equal(callsForIt, scripted.Calls);
        var problem = await refused.AssertProblem(400);
        Assert.Contains("builtin, scripted", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A model that answers every turn with the same text and never calls a tool (so the loop plans one phase).</summary>
    private sealed class ScriptedChatClient(string text) : IChatClient
    {
        private int _calls;

        public int Calls => _calls;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, text)));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, text);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
