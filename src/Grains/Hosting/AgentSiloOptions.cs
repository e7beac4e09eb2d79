using System.ComponentModel.DataAnnotations;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>Configuration section <c>Silo</c>: how a silo (standalone or inside the API) joins its cluster and streams.</summary>
public sealed class AgentSiloOptions : IValidatableObject
{
    public const string Section = "Silo";

    /// <summary>Silos sharing a cluster id form one cluster.</summary>
    [Required] public string ClusterId { get; set; } = "orleans-agent-dev";

    /// <summary>Stable across deployments; keys persisted state.</summary>
    [Required] public string ServiceId { get; set; } = "orleans-agent";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)] public int SiloPort { get; set; } = 11111;

    /// <summary>Port Orleans clients (API nodes) connect to.</summary>
    [Range(1, 65535)] public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// How often stream queues are polled: what a stream consumer (an API node on <c>Sse:LiveSource=Stream</c>) waits.
    /// The Orleans default of 100 ms adds 65-150 ms to every event; 10 ms keeps delivery near 10-25 ms, for about 10%
    /// of a core spent polling the queues while the silo is idle (3% at 100 ms; docs/benchmarks.md, item 20). At
    /// 100 ms the polls come in bursts that showed in light load's POST→first event p99, so 10 ms stays.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan StreamPullPeriod { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Whether the silo hosts the execution stream provider, which API nodes on <c>Sse:LiveSource=Stream</c> (and any
    /// other stream subscriber) need. Its pulling agents poll every queue each <see cref="StreamPullPeriod"/> even when
    /// nothing is published (about a tenth of a core at 10 ms). Unset: on in a standalone silo; in a silo co-hosted by
    /// an API node, on only if that node reads streams.
    /// </summary>
    public bool? Streams { get; set; }

    /// <summary>
    /// Which executions publish their events on their stream: <c>OnDemand</c> (those a subscriber asked to, with
    /// <c>IExecutionGrain.FollowStream</c>: an API node on <c>Sse:LiveSource=Stream</c> does) or <c>Always</c> (every
    /// execution from its first event, for consumers that subscribe before an execution exists or cannot ask, at a
    /// stream message and a pub-sub rendezvous per execution).
    /// </summary>
    [RegularExpression("^(OnDemand|Always)$", ErrorMessage = "Silo:StreamPublishing must be OnDemand or Always.")]
    public string StreamPublishing { get; set; } = "OnDemand";

    public bool PublishesAlways => StreamPublishing == "Always";

    /// <summary>Number of in-memory stream queues (each polled by one pulling agent).</summary>
    [Range(1, 256)] public int StreamQueueCount { get; set; } = 8;

    /// <summary>
    /// How long a delivered stream message stays in its pulling agent's cache. The cache only serves rewinds, which
    /// this product never asks for (a reader back-fills from the durable log), yet Orleans keeps messages 5-30
    /// minutes by default, in 1 MB blocks: under heavy load the large-object heap grew 10 MB a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StreamCacheTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a pulling agent keeps a quiet stream's subscribers before forgetting them (the next event looks
    /// them up again). Orleans' default of 30 minutes holds every finished execution's stream that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StreamInactivityPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long an execution's grain stays in memory once nothing runs in it and nobody calls it: in practice, a
    /// finished execution. A later read reactivates it from the store. Orleans' default of 15 minutes held every
    /// finished execution's events in silo memory that long (at 400 executions a second, hundreds of thousands).
    /// A running execution is never collected. Must exceed Orleans' collection quantum (1 minute).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:30", "1.00:00:00")]
    public TimeSpan ExecutionIdleTime { get; set; } = TimeSpan.FromMinutes(2);

    public const string AzureStorageClustering = "AzureStorage";

    /// <summary>
    /// <c>Localhost</c> (one silo, the local default), <c>Redis</c> (a cluster of silos and API clients sharing the
    /// membership table in <c>Storage:Redis</c>) or <c>AzureStorage</c> (the same in the account of
    /// <c>Storage:AzureStorage</c>).
    /// </summary>
    [Required, RegularExpression("^(Localhost|Redis|AzureStorage)$", ErrorMessage = "Silo:Clustering must be Localhost, Redis or AzureStorage.")]
    public string Clustering { get; set; } = "Localhost";

    /// <summary>The address other silos and clients reach this silo at (a cluster).</summary>
    [Required] public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a silo waits for a probe answer before counting it missed (failure detection speed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Missed probes before a silo is declared dead: with <see cref="ProbeTimeout"/>, the failover time.</summary>
    [Range(1, 10)] public int MissedProbesLimit { get; set; } = 2;

    /// <summary>
    /// Where a cluster records which silo runs each grain: <c>Redis</c> (in <c>Storage:Redis</c>) or <c>Orleans</c>
    /// (its own directory, partitioned over the silos). With Orleans' directory a dying silo takes its partition with
    /// it, and the survivors deactivated the executions it had listed, so every execution in the cluster stalled; with
    /// Redis only the dead silo's executions do (docs/reliability.md). Unset: <c>Redis</c> on Redis clustering,
    /// <c>Orleans</c> on Azure Storage (no Azure grain directory package is served yet).
    /// </summary>
    [RegularExpression("^(Redis|Orleans)$", ErrorMessage = "Silo:GrainDirectory must be Redis or Orleans.")]
    public string? GrainDirectory { get; set; }

    /// <summary>
    /// In Kubernetes: take the silo's identity and address from its pod (Orleans Kubernetes hosting), and let the
    /// cluster remove silos whose pods are gone. Only the standalone silo host honours it.
    /// </summary>
    public bool KubernetesHosting { get; set; }

    /// <summary>Silos and API nodes of a cluster sharing a membership table (not the one-silo localhost clustering).</summary>
    public bool IsCluster => Clustering != "Localhost";

    public bool UsesRedisGrainDirectory => IsCluster && (GrainDirectory ?? (Clustering == "Redis" ? "Redis" : "Orleans")) == "Redis";

    /// <summary>Throws, naming the settings, unless <paramref name="storage"/> can hold this cluster's membership (and directory).</summary>
    public void ThrowUnlessHostedBy(StorageOptions storage)
    {
        if (!storage.IsDurable)
        {
            throw new InvalidOperationException($"Silo:Clustering={Clustering} needs a store the silos share: Storage:Provider=Redis or AzureStorage.");
        }

        if (Clustering == AzureStorageClustering && !storage.UsesAzureStorage)
        {
            throw new InvalidOperationException("Silo:Clustering=AzureStorage needs Storage:Provider=AzureStorage (the account holds the membership table).");
        }

        if (Clustering == "Redis" && string.IsNullOrWhiteSpace(storage.Redis))
        {
            throw new InvalidOperationException("Silo:Clustering=Redis needs Storage:Redis.");
        }

        if (UsesRedisGrainDirectory && string.IsNullOrWhiteSpace(storage.Redis))
        {
            throw new InvalidOperationException("Silo:GrainDirectory=Redis needs Storage:Redis.");
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PublishesAlways && Streams == false)
        {
            yield return new ValidationResult("Silo:StreamPublishing=Always needs the silo's streams (Silo:Streams=false turns them off).");
        }
    }
}
