using Orleans.Agent.Hosting;
using Orleans.Agent.Storage;

namespace Orleans.Agent.Api.Hosting;

public static class InProcessSiloExtensions
{
    /// <summary>
    /// Co-hosts a silo in the API process (local development: one process, no other dependency). Its
    /// <c>IClusterClient</c> is what the endpoints call grains and subscribe to streams with.
    /// </summary>
    public static WebApplicationBuilder AddInProcessSilo(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetValidated<AgentSiloOptions>(AgentSiloOptions.Section);
        var storage = builder.Configuration.GetValidated<StorageOptions>(StorageOptions.Section);
        builder.UseOrleans(silo => silo.AddAgentSilo(options, storage));
        return builder;
    }
}
