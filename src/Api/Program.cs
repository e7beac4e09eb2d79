using Orleans.Agent.Api;

await AgentApiApplication.Build(args).RunAsync();
