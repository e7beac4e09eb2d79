using System.Collections.Immutable;
using System.Text.Json;
using Orleans.Agent.Executions;
using Orleans.Agent.Serialization;
using StackExchange.Redis;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Each user's index is a sorted set of execution ids, all scored 0 so that Redis orders them by id (creation order),
/// beside a hash of id to summary JSON. A record is one script call that sets the entry, adds the id and trims the
/// oldest beyond the limit; a page is one range by id and one hash read.
/// </summary>
public sealed class RedisExecutionIndexStore(
    IConnectionMultiplexer redis, string keyPrefix, int maxEntriesPerUser = IExecutionIndexStore.MaxEntriesPerUser) : IExecutionIndexStore
{
    // KEYS[1] = ids, KEYS[2] = entries; ARGV[1] = id, ARGV[2] = summary JSON, ARGV[3] = most entries kept.
    private const string RecordScript = """
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('ZADD', KEYS[1], 0, ARGV[1])
        local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
        if excess > 0 then
          local oldest = redis.call('ZRANGE', KEYS[1], 0, excess - 1)
          redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
          redis.call('HDEL', KEYS[2], unpack(oldest))
        end
        return 0
        """;

    private IDatabase Db => redis.GetDatabase();

    public Task Record(string userId, ExecutionSummary summary) =>
        Db.ScriptEvaluateAsync(
            RecordScript,
            [Ids(userId), Entries(userId)],
            [summary.ExecutionId, JsonSerializer.SerializeToUtf8Bytes(summary, AgentJson.Options), maxEntriesPerUser]);

    public async Task<ExecutionList> List(string userId, string? cursor, int limit)
    {
        limit = Math.Clamp(limit, 1, 100);
        // Newest first and strictly older than the cursor; one more than asked says whether a next page exists.
        var ids = await Db.SortedSetRangeByValueAsync(
            Ids(userId), min: default, max: cursor ?? default, exclude: cursor is null ? Exclude.None : Exclude.Stop,
            order: Order.Descending, skip: 0, take: limit + 1);
        var page = ids.Take(limit).ToArray();
        if (page.Length == 0)
        {
            return new ExecutionList([], null);
        }

        var values = await Db.HashGetAsync(Entries(userId), page);
        var items = values.Where(v => v.HasValue)
            .Select(v => JsonSerializer.Deserialize<ExecutionSummary>((byte[])v!, AgentJson.Options)!)
            .ToImmutableArray();
        return new ExecutionList(items, ids.Length > limit ? (string?)page[^1] : null);
    }

    // Two distinct prefixes, so that no user id can name another user's key.
    private RedisKey Ids(string userId) => $"{keyPrefix}:index-ids:{userId}";

    private RedisKey Entries(string userId) => $"{keyPrefix}:index-entries:{userId}";
}
