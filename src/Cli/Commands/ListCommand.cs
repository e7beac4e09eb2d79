using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary><c>list</c>: the caller's executions, newest first, a page at a time.</summary>
public sealed class ListCommand(IAnsiConsole console) : AsyncCommand<ListCommand.Settings>
{
    public sealed class Settings : ApiSettings
    {
        [CommandOption("--limit <N>")]
        [Description("How many (1 to 100).")]
        [DefaultValue(20)]
        public int Limit { get; init; } = 20;

        [CommandOption("--cursor <CURSOR>")]
        [Description("The next page: the cursor the previous page printed.")]
        public string? Cursor { get; init; }

        [CommandOption("--json")]
        [Description("Print the API's answer as it is.")]
        public bool Json { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var api = settings.Client();
        var page = await api.List(settings.Limit, settings.Cursor, cancellationToken);
        if (settings.Json)
        {
            Console.Out.WriteLine(page.GetRawText());
            return ExitCodes.Completed;
        }

        var table = new Table().Border(TableBorder.Simple)
            .AddColumns(new TableColumn("Execution").NoWrap(), new TableColumn("Status").NoWrap(), new TableColumn("Started").NoWrap(), new TableColumn("Task"));
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            var status = item.GetProperty("status").GetString()!;
            var colour = status switch { "completed" => "green", "failed" => "red", "cancelled" => "yellow", _ => "cyan" };
            table.AddRow(
                Markup.Escape(item.GetProperty("executionId").GetString()!),
                $"[{colour}]{status}[/]",
                item.GetProperty("createdAt").GetDateTimeOffset().ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(Shorten(item.GetProperty("task").GetString()!)));
        }

        console.Write(table);
        if (page.GetProperty("nextCursor") is { ValueKind: JsonValueKind.String } next)
        {
            console.MarkupLine($"[grey]More: orleans-agent list --cursor {next.GetString()}[/]");
        }

        return ExitCodes.Completed;
    }

    private static string Shorten(string task)
    {
        task = task.ReplaceLineEndings(" ");
        return task.Length <= 60 ? task : task[..59] + "…";
    }
}
