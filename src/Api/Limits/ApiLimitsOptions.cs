using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Limits;

/// <summary>Configuration section <c>Limits</c>: what one user, one request and one process may use.</summary>
public sealed class ApiLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Executions one user may start per minute (fixed window); beyond it 429 with Retry-After.</summary>
    [Range(1, 1_000_000)] public int ExecutionsPerMinutePerUser { get; set; } = 60;

    /// <summary>Streams one user may hold open at once; beyond it 429.</summary>
    [Range(1, 100_000)] public int StreamsPerUser { get; set; } = 20;

    /// <summary>Streams one API process holds open at once; beyond it 429 (so the process stays within its file limit).</summary>
    [Range(1, 1_000_000)] public int StreamsPerProcess { get; set; } = 15_000;

    /// <summary>The Retry-After sent when a stream limit is reached.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StreamRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Kestrel's cap on open connections (a hard cut, below the process's open-file limit); 0 = none.</summary>
    [Range(0, 1_000_000)] public int MaxConnections { get; set; } = 18_000;

    /// <summary>Largest request body; beyond it 413.</summary>
    [Range(1_024, 100 * 1024 * 1024)] public int MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Longest task text; beyond it 400.</summary>
    [Range(1, 1_000_000)] public int MaxTaskChars { get; set; } = 20_000;

    /// <summary>Largest <c>context</c> object (its JSON); beyond it 400.</summary>
    [Range(2, 10 * 1024 * 1024)] public int MaxContextBytes { get; set; } = 64 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body; beyond it 400.</summary>
    [Range(2, 256)] public int MaxJsonDepth { get; set; } = 32;
}
