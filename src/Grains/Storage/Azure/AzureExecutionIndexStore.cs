using System.Buffers.Text;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Orleans.Agent.Executions;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Each user's index is a table partition, a row per execution keyed by its id with every hex digit inverted, so
/// that the Table service's ascending order is newest first; a record is one upsert, a page one range query. Counting
/// a partition has no cheap query, so the index is trimmed to <see cref="IExecutionIndexStore.MaxEntriesPerUser"/>
/// at every <c>trimEvery</c>-th record of this process (its user's then): a user may briefly hold that many more.
/// </summary>
public sealed class AzureExecutionIndexStore(
    AzureStorageClients clients, int maxEntriesPerUser = IExecutionIndexStore.MaxEntriesPerUser, int trimEvery = 256) : IExecutionIndexStore
{
    // A list shows the task's start; a task of a million characters would not fit a row.
    private const int MaxTaskChars = 50_000;

    private readonly TableClient _index = clients.Tables.GetTableClient(clients.IndexTable);
    private long _records;

    public Task Record(string userId, ExecutionSummary summary) => StoreCallBound.Run(ct => Record(userId, summary, ct));

    public Task<ExecutionList> List(string userId, string? cursor, int limit) => StoreCallBound.Run(ct => List(userId, cursor, limit, ct));

    private async Task Record(string userId, ExecutionSummary summary, CancellationToken ct)
    {
        if (summary.Task.Length > MaxTaskChars)
        {
            summary = summary with { Task = summary.Task[..MaxTaskChars] };
        }

        var row = new TableEntity(Partition(userId), Row(summary.ExecutionId));
        TableChunks.Write(row, JsonSerializer.SerializeToUtf8Bytes(summary, AgentJson.Options));
        await _index.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
        if (Interlocked.Increment(ref _records) % trimEvery == 0)
        {
            await Trim(userId, ct);
        }
    }

    private async Task<ExecutionList> List(string userId, string? cursor, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 100);
        var filter = cursor is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition(userId)}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition(userId)} and RowKey gt {Row(cursor)}");
        // One more than asked says whether a next page exists.
        var page = await _index.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, cancellationToken: ct).AsPages().FirstOrDefaultAsync(ct);
        var rows = page?.Values ?? [];
        var items = rows.Take(limit)
            .Select(r => JsonSerializer.Deserialize<ExecutionSummary>(TableChunks.Read(r), AgentJson.Options)!)
            .ToImmutableArray();
        return new ExecutionList(items, rows.Count > limit ? items[^1].ExecutionId : null);
    }

    private async Task Trim(string userId, CancellationToken ct)
    {
        var partition = Partition(userId);
        var excess = new List<string>();
        var seen = 0;
        await foreach (var row in _index.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: ct))
        {
            if (++seen > maxEntriesPerUser)
            {
                excess.Add(row.RowKey);
            }
        }

        foreach (var chunk in excess.Chunk(100))
        {
            await Task.WhenAll(chunk.Select(rowKey => _index.DeleteEntityAsync(partition, rowKey, ETag.All, ct)));
        }
    }

    /// <summary>Any user id as a key: base64url of its UTF-8 (keys cannot hold '/', '\', '#', '?' or control characters).</summary>
    private static string Partition(string userId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(userId));

    /// <summary>Hex digits inverted (0 for f, f for 0): newer ids, which are larger, sort first.</summary>
    private static string Row(string executionId) => string.Create(executionId.Length, executionId, static (span, id) =>
    {
        for (var i = 0; i < id.Length; i++)
        {
            var c = id[i];
            span[i] = c switch
            {
                >= '0' and <= '9' => "fedcba9876"[c - '0'],
                >= 'a' and <= 'f' => "543210"[c - 'a'],
                _ => c,
            };
        }
    });
}
