using Microsoft.Extensions.Hosting;
using Orleans.Agent.Silo;

await SiloHost.Build(args).RunAsync();
