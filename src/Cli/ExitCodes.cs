namespace Orleans.Agent.Cli;

/// <summary>What the process's exit code says, so a script can branch on it (docs/cli.md).</summary>
public static class ExitCodes
{
    /// <summary>The execution completed (or the command did what it was asked).</summary>
    public const int Completed = 0;

    /// <summary>The execution ended with execution:error.</summary>
    public const int Failed = 1;

    /// <summary>The execution was cancelled.</summary>
    public const int Cancelled = 2;

    /// <summary>The API refused the request: an unknown or someone else's id, a bad token, bad input.</summary>
    public const int Refused = 3;

    /// <summary>The API could not be reached, or stayed unavailable past the reconnect window.</summary>
    public const int Unavailable = 4;

    /// <summary>Stopped with Ctrl+C (the execution itself goes on).</summary>
    public const int Interrupted = 130;
}
