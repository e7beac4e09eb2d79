using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Agent.Tests;

/// <summary>
/// The terminal client as a process against a real API node (a silo and the node as processes, on Redis): it shows a
/// run, follows one across a restart of its API node without showing an event twice, ends with the execution's
/// status as its exit code, and says in one line what is wrong with a bad id, token or address.
/// </summary>
public sealed class CliTests(CliTests.Cluster cluster) : IClassFixture<CliTests.Cluster>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private Uri Api => cluster.Processes.ApiNodes[0].Url;

    [Fact]
    public async Task Run_shows_the_plan_its_phases_tool_calls_and_the_result_and_exits_0()
    {
        var (exitCode, output, error) = await ChildProcess.RunCli(Api, cluster.Token, "run", "Create a landing page for a coffee shop");

        Assert.True(exitCode == ExitCodes.Completed, string.Join('\n', [.. output, .. error]));
        Assert.Empty(error);
        var text = string.Join('\n', output);
        Assert.Contains("Plan: Create a landing page for a coffee shop", text, StringComparison.Ordinal);
        Assert.Contains("Phase 1/3: Understand the request", text, StringComparison.Ordinal);
        Assert.Contains("Phase 3/3: Review the result", text, StringComparison.Ordinal);
        Assert.Matches(@"✓ create_file \d+ ms", text);
        Assert.Contains("Result:", text, StringComparison.Ordinal);
        Assert.Matches(@"✔ Completed in \d+", output[^1]);
    }

    [Fact]
    public async Task Follow_goes_on_across_a_restart_of_its_api_node_and_prints_every_event_once()
    {
        // About 12 s of events, so that the node's restart (a few seconds) falls well inside the run.
        using var alice = await ClusterProcesses.SignIn(Api, "alice");
        var executionId = (await ClusterRuns.Start(alice, 1, phases: 3, steps: 10, delayMs: 400))[0];
        await using var follower = ChildProcess.Cli(Api, cluster.Token, "follow", executionId, "--json");
        await Poll.Until(() => Task.FromResult(follower.Out.Count >= 5), Deadline);

        var beforeRestart = follower.Out.Count;
        await cluster.Processes.RestartApiNode(0);
        var exitCode = await follower.Exited(Deadline);

        using var aliceAgain = await ClusterProcesses.SignIn(Api, "alice");
        var log = await Log(aliceAgain, executionId);
        var printed = follower.Out.ToList();
        Assert.Equal(ExitCodes.Completed, exitCode);
        Assert.True(beforeRestart < log.Count, $"the restart came after the run ({beforeRestart} of {log.Count} events)");
        Assert.Contains(follower.Error, line => line.StartsWith("reconnecting", StringComparison.Ordinal));
        Assert.Equal(log, printed); // each event once, in order, exactly as the log holds it
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), printed.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task Cancel_ends_a_follower_with_the_cancelled_status_and_its_exit_code()
    {
        using var alice = await ClusterProcesses.SignIn(Api, "alice");
        var executionId = (await ClusterRuns.Start(alice, 1, phases: 3, steps: 100, delayMs: 100))[0];
        await using var follower = ChildProcess.Cli(Api, cluster.Token, "follow", executionId);
        await Poll.Until(() => Task.FromResult(follower.Out.Any(l => l.Contains("Phase 1/3", StringComparison.Ordinal))), Deadline);

        var (cancelExit, cancelOut, _) = await ChildProcess.RunCli(Api, cluster.Token, "cancel", executionId, "--reason", "enough for today");
        var followerExit = await follower.Exited(Deadline);
        var (againExit, againOut, _) = await ChildProcess.RunCli(Api, cluster.Token, "follow", executionId);

        Assert.Equal(ExitCodes.Completed, cancelExit);
        Assert.Equal($"Cancelled {executionId}.", Assert.Single(cancelOut));
        Assert.Equal(ExitCodes.Cancelled, followerExit);
        Assert.Equal("■ Cancelled by alice: enough for today", follower.Out.Last());
        Assert.Equal(ExitCodes.Cancelled, againExit); // a finished execution followed again ends the same way
        Assert.Equal("■ Cancelled by alice: enough for today", againOut[^1]);
    }

    [Fact]
    public async Task A_bad_id_token_address_or_argument_gives_one_clear_line_and_a_non_zero_exit_code()
    {
        using var bob = await ClusterProcesses.SignIn(Api, "bob");
        var bobs = (await ClusterRuns.Start(bob, 1, phases: 1, steps: 1, delayMs: 0))[0];
        var unreachable = new Uri($"http://127.0.0.1:{FreePorts.Next()}");

        (string Case, Uri Api, string? Token, string[] Args, int ExitCode, string Says)[] cases =
        [
            ("malformed id", Api, cluster.Token, ["follow", "not-an-id"], ExitCodes.Refused, "There is no execution 'not-an-id' that you can see."),
            ("another user's execution", Api, cluster.Token, ["follow", bobs], ExitCodes.Refused, $"There is no execution '{bobs}' that you can see."),
            ("cancel of another user's execution", Api, cluster.Token, ["cancel", bobs], ExitCodes.Refused, $"There is no execution '{bobs}' that you can see."),
            ("a token that is not one", Api, "not-a-token", ["list"], ExitCodes.Refused, "The token is not a well-formed JWT. Pass --token or set ORLEANS_AGENT_TOKEN."),
            ("no token", Api, null, ["list"], ExitCodes.Refused, "No token: pass --token or set ORLEANS_AGENT_TOKEN"),
            ("nothing listening", unreachable, cluster.Token, ["list"], ExitCodes.Unavailable, $"The API at {unreachable} cannot be reached"),
            ("not an http URL", Api, cluster.Token, ["list", "--api", "ftp://example"], ExitCodes.Refused, "The API URL 'ftp://example' is not an absolute http or https URL."),
            ("a missing argument", Api, cluster.Token, ["follow"], ExitCodes.Refused, "missing required argument 'EXECUTION_ID'"),
        ];
        foreach (var (name, api, token, args, expectedExit, says) in cases)
        {
            var (exitCode, output, error) = await ChildProcess.RunCli(api, token, args);

            Assert.True(expectedExit == exitCode, $"{name}: exit {exitCode}\n{string.Join('\n', [.. output, .. error])}");
            var line = Assert.Single(error);
            Assert.StartsWith("orleans-agent: ", line, StringComparison.Ordinal);
            Assert.Contains(says, line, StringComparison.Ordinal);
            Assert.Empty(output);
        }
    }

    /// <summary>The execution's durable log: every event's JSON as the stream sends it, from the first.</summary>
    private static async Task<List<string>> Log(HttpClient client, string executionId)
    {
        var events = new List<string>();
        using var response = await client.GetAsync($"/api/agent/stream/{executionId}", HttpCompletionOption.ResponseHeadersRead);
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add(item.Data);
        }

        return events;
    }

    /// <summary>One silo and one API node on Redis for every test of the class, and alice's token.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public ClusterProcesses Processes { get; private set; } = null!;

        public string Token { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Processes = await ClusterProcesses.Start(silos: 1, apiNodes: 1);
            using var client = new HttpClient { BaseAddress = Processes.ApiNodes[0].Url };
            var answer = await (await client.PostAsJsonAsync("/api/dev/token", new { userId = "alice" })).Content.ReadFromJsonAsync<JsonElement>();
            Token = answer.GetProperty("token").GetString()!;
        }

        public async Task DisposeAsync() => await Processes.DisposeAsync();
    }

    /// <summary>The client's exit codes (src/Cli/ExitCodes.cs), as a script sees them.</summary>
    private static class ExitCodes
    {
        public const int Completed = 0;
        public const int Cancelled = 2;
        public const int Refused = 3;
        public const int Unavailable = 4;
    }
}
