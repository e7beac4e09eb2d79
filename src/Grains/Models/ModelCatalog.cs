using Microsoft.Extensions.Options;

namespace Orleans.Agent.Grains.Models;

/// <summary>
/// The models a request may name with <c>context.model</c>: those of the configured provider (<c>Model:Models</c>, or
/// <c>builtin</c>), then those a host registered with <see cref="AgentModelServiceCollectionExtensions.AddAgentModel"/>.
/// The first is the default. Each is an <c>IChatClient</c> in DI keyed by its name.
/// </summary>
public sealed class ModelCatalog(IOptions<ModelOptions> options, IEnumerable<RegisteredModel> registered)
{
    private readonly string[] _names = [.. options.Value.ConfiguredModels.Concat(registered.Select(m => m.Name)).Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> Names => _names;

    public string Default => _names[0];

    public bool Contains(string name) => _names.Contains(name, StringComparer.Ordinal);
}

/// <summary>A model a host added to the catalog (<see cref="AgentModelServiceCollectionExtensions.AddAgentModel"/>).</summary>
public sealed record RegisteredModel(string Name);
