using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Storage;

/// <summary>Configuration section <c>Storage</c>: where execution state and event logs are kept.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    /// <summary>
    /// A StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>). Set: logs, grain state and stream
    /// subscriptions are durable in Redis. Empty (the local default): everything is in memory.
    /// </summary>
    public string Redis { get; set; } = "";

    /// <summary>
    /// The CA certificate (PEM) that issued Redis' TLS certificate, for <c>ssl=true</c> in <see cref="Redis"/> with a
    /// private CA. Empty: the system's trust store decides.
    /// </summary>
    public string RedisCaFile { get; set; } = "";

    /// <summary>Prefix of every Redis key this product writes (several deployments can share one Redis).</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,64}$")] public string KeyPrefix { get; set; } = "orleans-agent";

    /// <summary>How long a finished execution's log is kept (Redis only; memory logs live as long as the process).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan RetainCompletedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Events kept of a finished execution's log, the newest; 0 keeps them all. Older cursors get <c>stream:reset</c>.</summary>
    [Range(0, int.MaxValue)] public int RetainCompletedEvents { get; set; }

    /// <summary>
    /// How long a running execution waits for an event store that fails or does not answer. Meanwhile its loop takes
    /// no step and its writes are retried; past this, it ends with <c>execution:error {code: "storage_unavailable"}</c>
    /// as soon as that can be written.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan OutageBudget { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The Redis client settings of every connection (logs, index, grain state, reminders, clustering). A lost
    /// connection is retried every 500 ms, not on the client's default back-off (2.5 s growing to 10 s), which kept
    /// executions waiting seconds after a restarted Redis was back.
    /// </summary>
    public ConfigurationOptions RedisConfiguration()
    {
        var options = ConfigurationOptions.Parse(Redis);
        options.ReconnectRetryPolicy = new LinearRetry(500);
        if (!string.IsNullOrWhiteSpace(RedisCaFile))
        {
            options.TrustIssuer(RedisCaFile);
        }

        return options;
    }

    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(RedisCaFile) && !File.Exists(RedisCaFile))
        {
            yield return new ValidationResult($"Storage:RedisCaFile names a file that does not exist: {RedisCaFile}.", [nameof(RedisCaFile)]);
        }

        if (UsesRedis)
        {
            ConfigurationOptions? parsed = null;
            try
            {
                parsed = ConfigurationOptions.Parse(Redis);
            }
            catch (ArgumentException)
            {
                // Not the parser's message: it quotes the option it choked on, which can be part of a password.
            }

            if (parsed is null)
            {
                yield return new ValidationResult(
                    "Storage:Redis is not a StackExchange.Redis connection string (host:port followed by ,option=value pairs such as user=, password=, ssl=true).",
                    [nameof(Redis)]);
            }
            else if (parsed.EndPoints.Count == 0)
            {
                yield return new ValidationResult("Storage:Redis names no host:port.", [nameof(Redis)]);
            }
        }
    }
}
