using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Orleans.Agent.Tests;

/// <summary>
/// The README's walk-through with curl, run as written (two bash blocks, the second in a "second terminal" while the
/// first watches) against the API as <c>dotnet run</c> starts it; only its address differs (a free port, not 5000).
/// </summary>
public sealed partial class ReadmeWalkthroughTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_walkthrough_shows_a_run_live_resumes_it_and_cancels_a_long_one_from_a_second_terminal()
    {
        await using var api = await ApiProcess.Start();
        var (first, second) = Blocks(api.Url);

        await using var terminal1 = ChildProcess.Bash(first);
        // Step 6 is watching the long run once its plan arrived (step 4's resume starts after the first run's plan).
        await Poll.Until(() => Task.FromResult(terminal1.Out.Count(l => l == "event: plan:created") >= 2), Deadline);
        var (secondExit, secondOut, secondError) = await ChildProcess.RunBash(second);
        var firstExit = await terminal1.Exited(Deadline);

        var output = terminal1.Out.ToList();
        var said = string.Join('\n', [.. output, .. terminal1.Error, "--- second terminal ---", .. secondOut, .. secondError]);
        Assert.True(firstExit == 0 && secondExit == 0, said);
        Assert.Empty(terminal1.Error);
        Assert.Empty(secondError);

        // Step 3: the run, live: its text arrived piece by piece before its events, over a few seconds.
        var frames = Frames(output);
        var run = frames.TakeWhile(f => f.EventType != "execution:complete").ToList();
        Assert.True(run.Count(f => f.EventType == "text:delta") > 10, said);
        var started = Timestamp(run.First(f => f.EventType == "execution:started").Data);
        var lastThought = Timestamp(run.Last(f => f.EventType == "thinking").Data);
        Assert.True(lastThought - started > TimeSpan.FromSeconds(1), $"the run took {(lastThought - started).TotalSeconds:F1} s");
        // Step 4: the resume starts after event 10; step 5: the snapshot says completed; step 6: the stream ends cancelled.
        var ids = frames.Where(f => f.EventType is not ("text:delta" or "text:reset")).Select(f => long.Parse(f.EventId!, CultureInfo.InvariantCulture)).ToList();
        Assert.Contains(ids.Zip(ids.Skip(1)), pair => pair.First > 11 && pair.Second == 11);
        Assert.Equal(2, output.Count(l => l == "event: execution:complete"));
        Assert.Contains(output, l => l.Trim() == "\"status\": \"completed\",");
        Assert.Equal("event: execution:cancelled", output.Last(l => l.StartsWith("event: ", StringComparison.Ordinal)));
        // Step 7, in the second terminal: the cancel's answer.
        using var cancelled = JsonDocument.Parse(string.Join('\n', secondOut));
        Assert.True(cancelled.RootElement.GetProperty("cancelled").GetBoolean());
        Assert.Equal("cancelled", cancelled.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_step_whose_input_is_missing_stops_with_a_message_instead_of_going_on()
    {
        var (first, _) = Blocks(new Uri($"http://127.0.0.1:{FreePorts.Next()}")); // nothing listens there

        var (exitCode, output, error) = await ChildProcess.RunBash(first);

        var said = string.Join('\n', [.. output, .. error]);
        Assert.NotEqual(0, exitCode);
        // Step 1's curl says why; step 2 refuses to run without a token, step 3 without an id, and the shell stops there.
        Assert.True(error.Count == 3, said);
        Assert.Contains("Failed to connect", error[0], StringComparison.Ordinal);
        Assert.EndsWith("TOKEN: run step 1 first", error[1], StringComparison.Ordinal);
        Assert.EndsWith("ID: run step 2 first", error[2], StringComparison.Ordinal);
        Assert.Empty(output);
    }

    /// <summary>The walk-through's two bash blocks, pointed at <paramref name="api"/>.</summary>
    private static (string First, string Second) Blocks(Uri api)
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        var section = readme[readme.IndexOf("## Walk-through with curl", StringComparison.Ordinal)..readme.IndexOf("## HTTP API", StringComparison.Ordinal)];
        var blocks = BashBlock().Matches(section).Select(m => m.Groups["code"].Value.Replace("http://localhost:5000", api.ToString().TrimEnd('/'), StringComparison.Ordinal)).ToList();
        Assert.Equal(2, blocks.Count);
        return (blocks[0], blocks[1]);
    }

    /// <summary>The SSE frames in what terminal 1 printed (the framework's parser; jq's lines between them are no fields it knows).</summary>
    private static List<SseItem<string>> Frames(List<string> lines) =>
        [.. SseParser.Create(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n\n"))).Enumerate()];

    private static DateTimeOffset Timestamp(string eventJson) =>
        JsonDocument.Parse(eventJson).RootElement.GetProperty("timestamp").GetDateTimeOffset();

    [GeneratedRegex(@"^```bash\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
