using Microsoft.Extensions.Hosting;
using Orleans.Agent.Grains.Hosting;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Silo;

/// <summary>The standalone silo process, built here so tests can start the very host that <c>Program</c> runs.</summary>
public static class SiloHost
{
    public static IHost Build(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var options = builder.Configuration.GetValidated<AgentSiloOptions>(AgentSiloOptions.Section);
        var storage = builder.Configuration.GetValidated<StorageOptions>(StorageOptions.Section);
        var tls = builder.Configuration.GetValidated<ClusterTlsOptions>(ClusterTlsOptions.Section);
        builder.UseOrleans(silo =>
        {
            silo.AddAgentSilo(options, storage).UseClusterTls(tls);
            if (options.KubernetesHosting)
            {
                silo.UseKubernetesHosting();
            }
        });
        return builder.Build();
    }
}
