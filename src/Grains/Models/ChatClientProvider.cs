using System.ClientModel;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Grains.Models;

/// <summary>
/// The <see cref="IChatClient"/> for a model name, built once per model from <see cref="ModelOptions"/>, with
/// OpenTelemetry's gen_ai spans and metrics (duration, tokens by model) under the product's name; prompts and answers
/// are not recorded (they are the user's data).
/// </summary>
public sealed class ChatClientProvider(IOptions<ModelOptions> options)
{
    private readonly ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);
    private readonly Lazy<OpenAIClient> _openAI = new(() => new OpenAIClient(
        new ApiKeyCredential(string.IsNullOrEmpty(options.Value.ApiKey) ? "none" : options.Value.ApiKey),
        new OpenAIClientOptions { Endpoint = new Uri(options.Value.BaseUrl) }));

    /// <summary>The configured default model.</summary>
    public string DefaultModel => options.Value.AllowedModels[0];

    /// <summary>The client for <paramref name="model"/> (null: the default), which must be one of the configured models.</summary>
    public IChatClient Get(string? model)
    {
        model ??= DefaultModel;
        if (!options.Value.AllowedModels.Contains(model, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Model '{model}' is not configured.", nameof(model));
        }

        return _clients.GetOrAdd(model, name => (options.Value.Provider == ModelOptions.OpenAIProvider
                ? _openAI.Value.GetChatClient(name).AsIChatClient()
                : new BuiltinChatClient(options.Value.BuiltinChunkDelay))
            .AsBuilder()
            .UseOpenTelemetry(sourceName: AgentTelemetry.Name, configure: telemetry => telemetry.EnableSensitiveData = false)
            .Build());
    }
}
