using System.Text.Json;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Each log is a Redis sorted set scored by sequence, holding the event JSON. An append is one script call that
/// checks the log's last sequence and adds the whole batch (so a batch costs one round trip and two activations
/// can never interleave); reads are ranges by score; retention trims by score and sets a TTL. Artifacts are a hash
/// beside the log.
/// </summary>
public sealed class RedisExecutionLogStore(IConnectionMultiplexer redis, string keyPrefix) : IExecutionLogStore
{
    // KEYS[1] = log; ARGV[1] = expected last sequence; then score, member pairs.
    private const string AppendScript = """
        local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        local current = 0
        if #last > 0 then current = tonumber(last[2]) end
        if current ~= tonumber(ARGV[1]) then return current end
        for i = 2, #ARGV, 2 do redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1]) end
        return -1
        """;

    private IDatabase Db => redis.GetDatabase();

    public async Task Append(string executionId, IReadOnlyList<AgentEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        var args = new RedisValue[1 + 2 * events.Count];
        args[0] = events[0].Sequence - 1;
        for (var i = 0; i < events.Count; i++)
        {
            args[1 + 2 * i] = events[i].Sequence;
            args[2 + 2 * i] = JsonSerializer.SerializeToUtf8Bytes(events[i], AgentJson.Options);
        }

        var result = (long)await Db.ScriptEvaluateAsync(AppendScript, [Key(executionId)], args);
        if (result != -1)
        {
            throw new LogConflictException($"Log {executionId} ends at {result}, not {events[0].Sequence - 1}.");
        }
    }

    public async Task<long> LastSequence(string executionId)
    {
        var last = await Db.SortedSetRangeByRankWithScoresAsync(Key(executionId), -1, -1);
        return last.Length == 0 ? 0 : (long)last[0].Score;
    }

    public Task Ping() => Db.PingAsync();

    public async Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount)
    {
        var values = await Db.SortedSetRangeByScoreAsync(
            Key(executionId), afterSequence, double.PositiveInfinity, Exclude.Start, Order.Ascending, 0, maxCount);
        return values.Select(v => JsonSerializer.Deserialize<AgentEvent>((byte[])v!, AgentJson.Options)!).ToArray();
    }

    public async Task Retain(string executionId, int keepEvents, TimeSpan timeToLive)
    {
        var key = Key(executionId);
        if (keepEvents > 0)
        {
            await Db.SortedSetRemoveRangeByRankAsync(key, 0, -keepEvents - 1);
        }

        await Db.KeyExpireAsync(key, timeToLive);
        await Db.KeyExpireAsync(ArtifactsKey(executionId), timeToLive);
    }

    public Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts) =>
        Db.HashSetAsync(ArtifactsKey(executionId), [.. artifacts.Select(a => new HashEntry(a.Sha256, a.Content))]);

    public async Task<byte[]?> ReadArtifact(string executionId, string sha256) => (byte[]?)await Db.HashGetAsync(ArtifactsKey(executionId), sha256);

    private RedisKey Key(string executionId) => $"{keyPrefix}:log:{executionId}";

    /// <summary>One hash per log, field = SHA-256: retention expires it with the log.</summary>
    private RedisKey ArtifactsKey(string executionId) => $"{keyPrefix}:artifacts:{executionId}";
}
