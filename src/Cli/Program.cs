using Orleans.Agent.Cli;

return await CliApplication.Run(args);
