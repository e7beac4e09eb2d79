using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Orleans.Agent.Cli.Following;

/// <summary>
/// An execution for a person: the plan's phases as progress, each thought, each tool call with its duration, and the
/// result. In a terminal, the text the model is writing shows on a status line below them as it is written, and
/// gives way to its durable event (texts overlap: the next thought starts before the last one's event arrives, so
/// they are not written into the scrollback); without a terminal (output redirected) only durable events are shown.
/// </summary>
public sealed class ConsoleView(IAnsiConsole console) : IFollowView
{
    private const string ResultHeading = "[bold]Result:[/]";
    private const string ThoughtMark = "  [grey]…[/] ";
    private const string ClearLine = "\r\u001b[2K";

    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);
    private string? _writing;
    private bool _statusShown;
    private int _phases;

    /// <summary>True when the output is a terminal that can redraw a line: then live text is worth asking for.</summary>
    public bool ShowsLiveText { get; } = console.Profile.Capabilities is { Ansi: true, Interactive: true };

    public void Durable(string type, JsonElement evt, string json)
    {
        ClearStatus();
        var data = evt.GetProperty("data");
        switch (type)
        {
            case "execution:started":
                console.MarkupLine($"[bold]▶ {Escape(data, "task")}[/] [grey]({evt.GetProperty("executionId").GetString()})[/]");
                break;
            case "plan:created":
                var plan = data.GetProperty("plan");
                var phases = plan.GetProperty("phases").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
                _phases = phases.Count;
                console.MarkupLine($"[bold]Plan:[/] {Escape(plan, "goal")}");
                console.MarkupLine($"  [grey]{Markup.Escape(string.Join(" → ", phases))}[/]");
                break;
            case "phase:start":
                var index = data.GetProperty("phaseIndex").GetInt32() + 1;
                console.MarkupLine($"[cyan]━━ Phase {index}/{Math.Max(_phases, index)}: {Escape(data, "phaseName")}[/]");
                break;
            case "thinking":
                _texts.Remove($"thinking:{data.GetProperty("iteration").GetInt32()}");
                console.MarkupLine(ThoughtMark + Escape(data, "thought")); // one line, so that it wraps as one
                break;
            case "tool:start":
                console.MarkupLine($"  [yellow]⚙ {Escape(data, "toolName")}[/] [grey]{Markup.Escape(Brief(data.GetProperty("params")))}[/]");
                break;
            case "tool:complete":
                var took = FormatMs(data.GetProperty("durationMs").GetInt64());
                console.MarkupLine(data.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                    ? $"  [red]✗ {Escape(data, "toolName")}[/] [grey]{took}[/] [red]{Markup.Escape(error.GetString()!)}[/]"
                    : $"  [green]✓ {Escape(data, "toolName")}[/] [grey]{took}[/]");
                break;
            case "phase:complete":
                console.MarkupLine($"  [green]✓ {Escape(data, "phaseName")} done[/]");
                break;
            case "execution:complete":
                console.MarkupLine(ResultHeading);
                console.WriteLine(data.GetProperty("result").GetString()!);
                var tokens = data.GetProperty("tokensUsed").GetProperty("total").GetInt64();
                console.MarkupLine($"[bold green]✔ Completed[/] [grey]in {FormatMs(data.GetProperty("durationMs").GetInt64())}, {tokens} tokens[/]");
                break;
            case "execution:error":
                console.MarkupLine($"[bold red]✘ Failed ({Escape(data, "code")}):[/] {Escape(data, "error")}");
                break;
            case "execution:cancelled":
                console.MarkupLine($"[bold yellow]■ Cancelled by {Escape(data, "by")}:[/] {Escape(data, "reason")}");
                break;
        }

        if (evt.GetProperty("type").GetString() is "execution:complete" or "execution:error" or "execution:cancelled")
        {
            _texts.Clear(); // nothing is written after the end
        }

        ShowStatus();
    }

    public void Delta(string textId, int offset, string text)
    {
        // A new connection sends each text whole again (offset 0); within one, each piece continues its text.
        _texts[textId] = _texts.TryGetValue(textId, out var sofar) && offset <= sofar.Length ? sofar[..offset] + text : text;
        _writing = textId;
        ShowStatus();
    }

    public void TextWithdrawn(string textId)
    {
        _texts.Remove(textId);
        ShowStatus();
    }

    public void Reset(string reason, JsonElement snapshot)
    {
        ClearStatus();
        console.MarkupLine($"[yellow]Earlier events are no longer kept ({Markup.Escape(reason)}); continuing after event {snapshot.GetProperty("lastSequence").GetInt64()}, status {Markup.Escape(snapshot.GetProperty("status").GetString()!)}.[/]");
    }

    public void Reconnecting(string reason, TimeSpan delay)
    {
        ClearStatus();
        _texts.Clear(); // the next connection sends every text still being written whole
        console.MarkupLine($"[grey]Connection lost ({Markup.Escape(reason)}); reconnecting in {delay.TotalSeconds:0.#} s…[/]");
    }

    /// <summary>The end of the text being written, on the status line, as much as fits.</summary>
    private void ShowStatus()
    {
        if (!ShowsLiveText || _writing is null || !_texts.TryGetValue(_writing, out var text))
        {
            ClearStatus();
            return;
        }

        var line = text.ReplaceLineEndings(" ");
        var room = Math.Max(10, console.Profile.Width - 12); // one screen line: a wrapped one could not be cleared
        line = line.Length <= room ? line : "…" + line[^(room - 1)..];
        console.Profile.Out.Writer.Write($"{ClearLine}  \u001b[2m{(_writing == "result" ? "result: " : "… ")}{line}\u001b[0m");
        console.Profile.Out.Writer.Flush();
        _statusShown = true;
    }

    private void ClearStatus()
    {
        if (_statusShown)
        {
            console.Profile.Out.Writer.Write(ClearLine);
            _statusShown = false;
        }
    }

    private static string Escape(JsonElement element, string property) => Markup.Escape(element.GetProperty(property).ToString());

    /// <summary>A tool's params on one short line.</summary>
    private static string Brief(JsonElement value)
    {
        var text = value.ValueKind == JsonValueKind.Object
            ? string.Join(", ", value.EnumerateObject().Select(p => $"{p.Name}={(p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText())}"))
            : value.GetRawText();
        text = text.ReplaceLineEndings(" ");
        return text.Length <= 80 ? text : text[..79] + "…";
    }

    private static string FormatMs(long ms) =>
        ms < 1000 ? $"{ms} ms" : (ms / 1000.0).ToString("0.0 s", CultureInfo.InvariantCulture);
}
