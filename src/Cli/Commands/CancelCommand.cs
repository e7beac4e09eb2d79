using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary><c>cancel &lt;id&gt;</c>: cancels a running execution; its followers end with its cancelled status.</summary>
public sealed class CancelCommand(IAnsiConsole console) : AsyncCommand<CancelCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandArgument(0, "<EXECUTION_ID>")]
        [Description("The execution to cancel.")]
        public required string ExecutionId { get; init; }

        [CommandOption("--reason <TEXT>")]
        [Description("Why, for whoever reads the execution:cancelled event.")]
        public string? Reason { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var api = settings.Client();
        var answer = await api.Cancel(settings.ExecutionId, settings.Reason, cancellationToken);
        console.MarkupLine(answer.GetProperty("cancelled").GetBoolean()
            ? $"Cancelled {Markup.Escape(settings.ExecutionId)}."
            : $"{Markup.Escape(settings.ExecutionId)} was already cancelled.");
        return ExitCodes.Completed;
    }
}
