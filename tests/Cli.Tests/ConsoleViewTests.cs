using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orleans.Agent.Cli.Following;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;
using Spectre.Console;

namespace Orleans.Agent.Tests;

/// <summary>
/// What a person sees: in a terminal, the text being written on a status line that gives way to durable events (texts
/// overlap, so none is written into the scrollback twice or cut), and without one only durable events.
/// </summary>
public sealed partial class ConsoleViewTests
{
    [Fact]
    public void In_a_terminal_overlapping_texts_show_on_the_status_line_and_each_thought_lands_once()
    {
        var (view, output) = View(interactive: true);

        view.Durable(AgentEventTypes.ExecutionStarted, Event(1, new ExecutionStartedData("Write", Time)), "");
        view.Delta("thinking:1", 0, "I will");
        view.Delta("thinking:1", 6, " write it.");
        var whileWriting = Screen(output);
        view.Delta("thinking:2", 0, "Next"); // the next thought starts before the first one's event
        view.Durable("thinking", Event(2, new ThinkingData("I will write it.", 1)), "");
        var afterFirst = Screen(output);
        view.Delta("thinking:2", 0, "Next step"); // a reconnect sends the text whole again
        view.Durable("phase:start", Event(3, new PhaseStartData("p", "Build", 0)), "");
        view.Durable("thinking", Event(4, new ThinkingData("Next step, done.", 2)), "");
        view.Delta("result", 0, "All");
        view.Durable("execution:complete", Event(5, new ExecutionCompleteData("All done.", 1200, new TokenUsage(1, 2))), "");

        Assert.True(view.ShowsLiveText);
        Assert.Equal(["▶ Write (e)", "  … I will write it."], whileWriting);
        Assert.Equal(["▶ Write (e)", "  … I will write it.", "  … Next"], afterFirst);
        Assert.Equal(
            ["▶ Write (e)", "  … I will write it.", "━━ Phase 1/1: Build", "  … Next step, done.", "Result:", "All done.", "✔ Completed in 1.2 s, 3 tokens"],
            Screen(output));
    }

    [Fact]
    public void A_withdrawn_text_leaves_the_status_line_and_a_reconnect_clears_it()
    {
        var (view, output) = View(interactive: true);

        view.Delta("thinking:3", 0, "Half a thou");
        view.TextWithdrawn("thinking:3");
        var withdrawn = Screen(output);
        view.Delta("thinking:3", 0, "Again");
        view.Reconnecting("connection reset", TimeSpan.FromSeconds(1));

        Assert.Empty(withdrawn);
        Assert.Equal(["Connection lost (connection reset); reconnecting in 1 s…"], Screen(output));
    }

    [Fact]
    public void Without_a_terminal_only_durable_events_are_printed()
    {
        var (view, output) = View(interactive: false);

        view.Delta("thinking:1", 0, "I will");
        view.Durable("thinking", Event(1, new ThinkingData("I will.", 1)), "");
        view.Durable("tool:start", Event(2, new ToolStartData("create_file", JsonSerializer.SerializeToElement(new { path = "index.html" }), "c1")), "");
        view.Durable("tool:complete", Event(3, new ToolCompleteData("create_file", "c1", null, "Disk full.", 12)), "");
        view.Durable("execution:cancelled", Event(4, new ExecutionCancelledData("Enough.", "alice")), "");

        Assert.False(view.ShowsLiveText);
        Assert.DoesNotContain('\u001b', output.ToString());
        Assert.Equal(["  … I will.", "  ⚙ create_file path=index.html", "  ✗ create_file 12 ms Disk full.", "■ Cancelled by alice: Enough."], Screen(output));
    }

    private static (ConsoleView View, StringWriter Output) View(bool interactive)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 200;
        return (new ConsoleView(console), output);
    }

    private static readonly DateTimeOffset Time = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    /// <summary>An event as the server writes it (its own contract types and JSON settings).</summary>
    private static JsonElement Event(long sequence, AgentEventData data) =>
        JsonSerializer.SerializeToElement(new AgentEvent("e", sequence, data.EventType, Time, data), AgentJson.Options);

    /// <summary>The lines a terminal shows for <paramref name="output"/>: "\r ESC[2K" clears the current line, colours are dropped.</summary>
    private static List<string> Screen(StringWriter output)
    {
        var text = Colours().Replace(output.ToString(), "");
        var lines = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(current.ToString());
                current.Clear();
            }
            else if (string.CompareOrdinal(text, i, "\r\u001b[2K", 0, 5) == 0)
            {
                current.Clear();
                i += 4;
            }
            else if (text[i] != '\r')
            {
                current.Append(text[i]);
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    [GeneratedRegex(@"\u001b\[[0-9;]*m")]
    private static partial Regex Colours();
}
