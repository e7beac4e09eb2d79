using Orleans.Agent.Cli.Commands;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli;

/// <summary>The commands, and the one place that turns any failure into one line on stderr and an exit code.</summary>
public static class CliApplication
{
    public static async Task<int> Run(string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true; // stop following; the execution goes on
            interrupt.Cancel();
        };

        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("orleans-agent");
            config.AddCommand<RunCommand>("run").WithDescription("Start an execution and follow it to its end.").WithExample("run", "\"Create a landing page for a coffee shop\"");
            config.AddCommand<FollowCommand>("follow").WithDescription("Follow an execution from its first event; reconnects on its own.");
            config.AddCommand<CancelCommand>("cancel").WithDescription("Cancel a running execution.");
            config.AddCommand<ListCommand>("list").WithDescription("Your executions, newest first.");
            config.AddCommand<TokenCommand>("token").WithDescription("A development token for a user (the API in Development only).");
            config.SetExceptionHandler((exception, _) => Report(exception, interrupt.IsCancellationRequested));
        });
        return await app.RunAsync(args, interrupt.Token);
    }

    /// <summary>One line that says what went wrong, never a stack trace; the exit code says what kind of failure.</summary>
    private static int Report(Exception exception, bool interrupted)
    {
        if (interrupted && exception is OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }

        var (message, code) = exception switch
        {
            AgentApiException api => (api.Message, api.ExitCode),
            CommandParseException or CommandRuntimeException => (exception.Message, ExitCodes.Refused),
            _ => ($"Unexpected failure: {exception.GetType().Name}: {exception.Message}", ExitCodes.Failed),
        };
        // Plain, on one line whatever the terminal's width: a script may read it too.
        Console.Error.WriteLine($"orleans-agent: {message.ReplaceLineEndings(" ")}");
        return code;
    }
}
