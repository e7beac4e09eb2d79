using Microsoft.Extensions.DependencyInjection;

namespace Orleans.Agent.Grains.Tools;

public static class ToolServiceCollectionExtensions
{
    /// <summary>Makes <typeparamref name="TTool"/> available to every execution's model.</summary>
    public static IServiceCollection AddAgentTool<TTool>(this IServiceCollection services) where TTool : class, IAgentTool =>
        services.AddSingleton<IAgentTool, TTool>();
}
