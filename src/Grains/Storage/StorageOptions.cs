using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Storage;

/// <summary>Configuration section <c>Storage</c>: where execution state and event logs are kept.</summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public const string Memory = "Memory";
    public const string RedisProvider = "Redis";
    public const string AzureStorageProvider = "AzureStorage";

    /// <summary>
    /// Where logs, grain state, reminders and (for a cluster) membership live: <c>Memory</c> (one process, gone when it
    /// stops), <c>Redis</c> (<see cref="Redis"/>) or <c>AzureStorage</c> (<see cref="AzureStorage"/>: Tables and Blobs).
    /// Unset: <c>Redis</c> when <see cref="Redis"/> is set, else <c>Memory</c>.
    /// </summary>
    [RegularExpression("^(Memory|Redis|AzureStorage)$", ErrorMessage = "Storage:Provider must be Memory, Redis or AzureStorage.")]
    public string? Provider { get; set; }

    /// <summary>The storage account of <c>Provider=AzureStorage</c>.</summary>
    public AzureStorageOptions AzureStorage { get; set; } = new();

    /// <summary>
    /// A StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>): the store of <c>Provider=Redis</c>, and the
    /// grain directory of a cluster on <c>Silo:GrainDirectory=Redis</c> whatever the provider.
    /// </summary>
    public string Redis { get; set; } = "";

    /// <summary>
    /// The CA certificate (PEM) that issued Redis' TLS certificate, for <c>ssl=true</c> in <see cref="Redis"/> with a
    /// private CA. Empty: the system's trust store decides.
    /// </summary>
    public string RedisCaFile { get; set; } = "";

    /// <summary>
    /// Prefix of every Redis key, and the name stem of every Azure table and blob container, this product writes
    /// (several deployments can share one Redis or one storage account).
    /// </summary>
    [Required, RegularExpression("^[A-Za-z0-9_.-]{1,64}$")] public string KeyPrefix { get; set; } = "orleans-agent";

    /// <summary>How long a finished execution's log is kept (Redis and Azure Storage; memory logs live as long as the process).</summary>
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

    /// <summary>The provider in effect: <see cref="Provider"/>, or what <see cref="Redis"/> implies when it is unset.</summary>
    public string EffectiveProvider => Provider ?? (string.IsNullOrWhiteSpace(Redis) ? Memory : RedisProvider);

    public bool UsesRedis => EffectiveProvider == RedisProvider;

    public bool UsesAzureStorage => EffectiveProvider == AzureStorageProvider;

    /// <summary>A store that outlives the process and that a cluster can share (Redis or Azure Storage).</summary>
    public bool IsDurable => EffectiveProvider != Memory;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(RedisCaFile) && !File.Exists(RedisCaFile))
        {
            yield return new ValidationResult($"Storage:RedisCaFile names a file that does not exist: {RedisCaFile}.", [nameof(RedisCaFile)]);
        }

        if (UsesAzureStorage)
        {
            foreach (var result in AzureStorage.Validate())
            {
                yield return result;
            }
        }

        if (UsesRedis && string.IsNullOrWhiteSpace(Redis))
        {
            yield return new ValidationResult("Storage:Provider=Redis needs Storage:Redis (a StackExchange.Redis connection string).", [nameof(Redis)]);
        }
        else if (!string.IsNullOrWhiteSpace(Redis))
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
