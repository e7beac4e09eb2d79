using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenAI;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Grains.Models;

/// <summary>
/// Models are <see cref="IChatClient"/>s in DI, keyed by model name and built with <see cref="ChatClientBuilder"/>:
/// the configured provider's (<c>builtin</c> or <c>openai</c>) and any a host adds, which the loop runs unchanged.
/// Every one gets the product's pipeline: OpenTelemetry's gen_ai spans and metrics under the product's name (prompts
/// and answers are not recorded: they are the user's data) and logging.
/// </summary>
public static class AgentModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds a model a request can name with <c>context.model</c> (and the default when no configured provider has a
    /// model: <c>Model:Provider=builtin</c> always has one). Call it on every silo and API node (the API checks names).
    /// The returned builder takes more middleware (caching, rate limits...), inside the product's.
    /// </summary>
    public static ChatClientBuilder AddAgentModel(this IServiceCollection services, string name, Func<IServiceProvider, IChatClient> client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        services.AddSingleton(new RegisteredModel(name));
        return services.AddKeyedChatClient(name, client).UseAgentPipeline();
    }

    /// <summary>The catalog, and the configured provider's models: one keyed registration serving each of their names.</summary>
    public static IServiceCollection AddConfiguredModels(this IServiceCollection services)
    {
        services.TryAddSingleton<ModelCatalog>();
        // Any key: a host's own registration of a name (an exact key) wins over this one.
        services.TryAddKeyedSingleton<IChatClient>(KeyedService.AnyKey, (sp, key) =>
        {
            var options = sp.GetRequiredService<IOptions<ModelOptions>>().Value;
            var name = key as string ?? throw new ArgumentException("A model is keyed by its name.", nameof(key));
            if (!options.ConfiguredModels.Contains(name, StringComparer.Ordinal))
            {
                throw new ArgumentException($"Model '{name}' is neither configured nor registered.", nameof(key));
            }

            IChatClient inner = options.Provider == ModelOptions.OpenAIProvider
                ? OpenAI(options).GetChatClient(name).AsIChatClient()
                : new BuiltinChatClient(options.BuiltinChunkDelay);
            return new ChatClientBuilder(inner).UseAgentPipeline().Build(sp);
        });
        return services;
    }

    private static ChatClientBuilder UseAgentPipeline(this ChatClientBuilder builder) => builder
        .UseOpenTelemetry(sourceName: AgentTelemetry.Name, configure: telemetry => telemetry.EnableSensitiveData = false)
        .UseLogging();

    private static OpenAIClient OpenAI(ModelOptions options) => new(
        new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
        new OpenAIClientOptions { Endpoint = new Uri(options.BaseUrl) });
}
