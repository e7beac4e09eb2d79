using System.ComponentModel;
using Orleans.Agent.Cli.Following;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary><c>follow &lt;id&gt;</c>: an execution from its first event (or after <c>--after</c>) to its end, reconnecting on its own.</summary>
public sealed class FollowCommand(IAnsiConsole console) : AsyncCommand<FollowCommand.Settings>
{
    public sealed class Settings : FollowSettings
    {
        [CommandArgument(0, "<EXECUTION_ID>")]
        [Description("The execution to follow.")]
        public required string ExecutionId { get; init; }

        [CommandOption("--after <SEQUENCE>")]
        [Description("Start after this event (what a script that already has events 1..N resumes from).")]
        public long After { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var api = settings.Client();
        return await Follow(api, console, settings, settings.ExecutionId, settings.After, cancellationToken);
    }

    /// <summary>Follows to the end; the exit code of the execution's terminal status.</summary>
    public static Task<int> Follow(AgentApiClient api, IAnsiConsole console, FollowSettings settings, string executionId, long after, CancellationToken cancellationToken)
    {
        if (settings.Json)
        {
            return new ExecutionFollower(api, new JsonView(Console.Out, Console.Error)).Follow(executionId, after, deltas: false, cancellationToken);
        }

        // Live text only where it can be shown: a terminal's status line.
        var view = new ConsoleView(console);
        return new ExecutionFollower(api, view).Follow(executionId, after, deltas: view.ShowsLiveText, cancellationToken);
    }
}
