namespace Orleans.Agent.Cli;

/// <summary>
/// The API answered with an RFC 9457 problem (<see cref="Status"/> 4xx or 5xx), or did not answer (status 0).
/// <see cref="Exception.Message"/> is one line for a person: the problem's detail.
/// </summary>
public sealed class AgentApiException(string message, int status, TimeSpan? retryAfter = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>The server's Retry-After, when it said how long to wait.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    /// <summary>Worth retrying: the network, a moving execution or a store outage (503), a limit (429).</summary>
    public bool Transient => Status is 0 or 429 or >= 500;

    public int ExitCode => Transient ? ExitCodes.Unavailable : ExitCodes.Refused;
}
