using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary><c>run "&lt;task&gt;"</c>: starts an execution and follows it to its end.</summary>
public sealed class RunCommand(IAnsiConsole console) : AsyncCommand<RunCommand.Settings>
{
    public sealed class Settings : FollowSettings
    {
        [CommandArgument(0, "<TASK>")]
        [Description("What the agent should do.")]
        public required string Task { get; init; }

        [CommandOption("--model <NAME>")]
        [Description("A model the server offers (context.model); else its default.")]
        public string? Model { get; init; }

        [CommandOption("--detach")]
        [Description("Print the execution id and return without following it.")]
        public bool Detach { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var api = settings.Client();
        var started = await api.Execute(settings.Task, settings.Model, cancellationToken);
        var executionId = started.GetProperty("executionId").GetString()!;
        if (settings.Detach)
        {
            Console.Out.WriteLine(executionId);
            return ExitCodes.Completed;
        }

        if (!settings.Json)
        {
            console.MarkupLine($"[grey]Started {executionId}; Ctrl+C stops following (the run goes on: orleans-agent follow {executionId}).[/]");
        }

        return await FollowCommand.Follow(api, console, settings, executionId, after: 0, cancellationToken);
    }
}
