using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Agent;
using Orleans.Agent.Execution;
using Orleans.Agent.Executions;
using Orleans.Hosting;

namespace Orleans.Agent.Hosting;

/// <summary>The one place a silo is wired, used by the standalone silo host and by the API's in-process silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>A local silo: localhost clustering plus <see cref="AddAgentGrains"/>.</summary>
    public static ISiloBuilder AddAgentSilo(this ISiloBuilder silo, AgentSiloOptions options) =>
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId)
            .AddAgentGrains(options);

    /// <summary>
    /// What the execution grains need on any silo, whatever its clustering: memory grain storage, memory streams
    /// and the built-in model.
    /// </summary>
    public static ISiloBuilder AddAgentGrains(this ISiloBuilder silo, AgentSiloOptions options)
    {
        silo.AddMemoryGrainStorage(ExecutionStorage.Name)
            .AddMemoryGrainStorage(ExecutionStorage.PubSub)
            .AddMemoryStreams(AgentStreams.ProviderName, streams =>
            {
                streams.ConfigurePartitioning(options.StreamQueueCount);
                streams.ConfigurePullingAgent(agent => agent.Configure(o => o.GetQueueMsgsTimerPeriod = options.StreamPullPeriod));
            });
        silo.Services.AddSingleton<IAgentRunner, BuiltinAgent>();
        return silo;
    }
}
