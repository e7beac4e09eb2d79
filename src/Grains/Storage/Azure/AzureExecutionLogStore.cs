using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orleans.Agent.Events;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Event logs in Azure Tables (the choice over Append Blobs is measured in docs/benchmarks.md). A log is one partition:
/// a row per appended batch, keyed by its last sequence (zero-padded, so rows sort by sequence), holding the batch's
/// JSON, and a head row holding the log's last sequence. An append is one entity-group transaction that adds the
/// batch's row and moves the head under its ETag: atomic, and refused (a conflict) when another activation moved the
/// head or wrote the row first. A batch too large for a row goes to a blob named by its content first, and the row
/// names it. Artifacts are blobs beside the log. Tables have no time-to-live: <see cref="Retain"/> records when the log
/// is due, and <see cref="SweepExpired"/> (run by <see cref="LogExpiryGrain"/>) removes it then.
/// </summary>
public sealed class AzureExecutionLogStore : IExecutionLogStore
{
    private const string HeadRow = "~head"; // after every sequence row
    private const string LastRow = "9999999999999999999";
    private const int ExpiryShards = 8;
    private const int SweepParallelism = 8;

    /// <summary>Artifacts are up to megabytes: longer than a row's bound.</summary>
    private static readonly TimeSpan ArtifactBound = TimeSpan.FromSeconds(30);

    private readonly TableClient _logs;
    private readonly TableClient _expiry;
    private readonly BlobContainerClient _blobs;
    private readonly TimeProvider _time;

    // The head (last sequence and ETag) of each log this process appends to: an append needs no read first. Dropped
    // when a log is finished or an append fails (the next one reads the head again).
    private readonly ConcurrentDictionary<string, Head> _heads = new(StringComparer.Ordinal);

    public AzureExecutionLogStore(AzureStorageClients clients, TimeProvider? time = null)
    {
        _logs = clients.Tables.GetTableClient(clients.LogTable);
        _expiry = clients.Tables.GetTableClient(clients.ExpiryTable);
        _blobs = clients.Blobs.GetBlobContainerClient(clients.ArtifactContainer);
        _time = time ?? TimeProvider.System;
    }

    public Task Append(string executionId, IReadOnlyList<AgentEvent> events) =>
        events.Count == 0 ? Task.CompletedTask : StoreCallBound.Run(ct => Append(executionId, events, ct));

    private async Task Append(string executionId, IReadOnlyList<AgentEvent> events, CancellationToken ct)
    {
        CheckKey(executionId);
        var expected = events[0].Sequence - 1;
        var last = events[^1].Sequence;
        if (!_heads.TryGetValue(executionId, out var head) || head.Last != expected)
        {
            head = await ReadHead(executionId, ct);
            if (head.Last != expected)
            {
                throw new LogConflictException($"Log {executionId} ends at {head.Last}, not {expected}.");
            }
        }

        var row = await ToRow(executionId, events, ct);
        var newHead = new TableEntity(executionId, HeadRow) { ["Last"] = last };
        TableTransactionAction moveHead = head.ETag is { } etag
            ? new(TableTransactionActionType.UpdateReplace, newHead, etag)
            : new(TableTransactionActionType.Add, newHead);
        _heads.TryRemove(executionId, out _); // until the outcome is known
        Response<IReadOnlyList<Response>> result;
        try
        {
            result = await _logs.SubmitTransactionAsync([new(TableTransactionActionType.Add, row), moveHead], ct);
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new LogConflictException($"Log {executionId} no longer ends at {expected}: another activation appended to it ({ex.ErrorCode}).");
        }

        if (result.Value.Count == 2 && result.Value[1].Headers.ETag is { } written)
        {
            _heads[executionId] = new Head(last, written);
        }
    }

    public Task<long> LastSequence(string executionId) => StoreCallBound.Run(ct => LastSequence(executionId, ct));

    private async Task<long> LastSequence(string executionId, CancellationToken ct)
    {
        CheckKey(executionId);
        var head = await ReadHead(executionId, ct);
        if (head.ETag is not null)
        {
            _heads[executionId] = head;
        }

        return head.Last;
    }

    public Task Ping() => StoreCallBound.Run(async ct =>
        await _logs.QueryAsync<TableEntity>($"PartitionKey eq '~ping'", maxPerPage: 1, cancellationToken: ct).AsPages().FirstOrDefaultAsync(ct));

    public Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount) =>
        StoreCallBound.Run(ct => Read(executionId, afterSequence, maxCount, ct));

    private async Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount, CancellationToken ct)
    {
        CheckKey(executionId);
        var result = new List<AgentEvent>();
        if (maxCount <= 0)
        {
            return result;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {executionId} and RowKey gt {Key(afterSequence)} and RowKey le {LastRow}");
        // A row is a batch: a few events in most logs, so a page of rows as large as the events asked for is enough.
        await foreach (var row in _logs.QueryAsync<TableEntity>(filter, maxPerPage: Math.Clamp(maxCount, 1, 1000), cancellationToken: ct))
        {
            foreach (var evt in await Events(row, ct))
            {
                if (evt.Sequence > afterSequence)
                {
                    result.Add(evt);
                    if (result.Count == maxCount)
                    {
                        return result;
                    }
                }
            }
        }

        return result;
    }

    public async Task Retain(string executionId, int keepEvents, TimeSpan timeToLive)
    {
        CheckKey(executionId);
        _heads.TryRemove(executionId, out _); // finished: no more appends
        // The removal is recorded first: whatever happens next, the log is removed when it is due.
        var due = _time.GetUtcNow() + timeToLive;
        await _expiry.UpsertEntityAsync(new TableEntity(ExpiryShard(executionId), $"{Key(due.UtcTicks)}-{executionId}"), TableUpdateMode.Replace);
        if (keepEvents <= 0)
        {
            return;
        }

        var cutoff = (await ReadHead(executionId, default)).Last - keepEvents; // events up to here go
        if (cutoff <= 0)
        {
            return;
        }

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {executionId} and RowKey le {LastRow}");
        var gone = new List<TableEntity>();
        var goneBlobs = new List<string>();
        await foreach (var row in _logs.QueryAsync<TableEntity>(filter))
        {
            var blob = row.GetString("Blob");
            if (long.Parse(row.RowKey, CultureInfo.InvariantCulture) <= cutoff)
            {
                gone.Add(row);
            }
            else if (row.GetInt64("First") <= cutoff)
            {
                // The batch that straddles the cut keeps its newer events.
                var replacement = await ToRow(executionId, (await Events(row, default)).Where(e => e.Sequence > cutoff).ToList(), default);
                await _logs.UpdateEntityAsync(replacement, row.ETag, TableUpdateMode.Replace);
            }
            else
            {
                break;
            }

            if (blob is not null)
            {
                goneBlobs.Add(blob);
            }
        }

        await DeleteRows(executionId, gone);
        await DeleteBlobs(goneBlobs);
    }

    public Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts)
    {
        CheckKey(executionId);
        return StoreCallBound.Run(ct => Task.WhenAll(artifacts.Select(async artifact =>
        {
            try
            {
                // Named by content: one already there is this one, and is left as it is.
                await _blobs.GetBlobClient(ArtifactBlob(executionId, artifact.Sha256)).UploadAsync(
                    BinaryData.FromBytes(artifact.Content), new BlobUploadOptions { Conditions = new() { IfNoneMatch = ETag.All } }, ct);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
            }
        })), ArtifactBound);
    }

    public Task<byte[]?> ReadArtifact(string executionId, string sha256)
    {
        CheckKey(executionId);
        return StoreCallBound.Run<byte[]?>(async ct =>
        {
            try
            {
                return (await _blobs.GetBlobClient(ArtifactBlob(executionId, sha256)).DownloadContentAsync(ct)).Value.Content.ToArray();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        }, ArtifactBound);
    }

    /// <summary>
    /// Removes up to <paramref name="maxPerShard"/> logs per shard whose time is up, with their artifacts, and then
    /// their expiry records (so a sweep cut short by a crash is finished by the next one). Shards are swept at once
    /// and each shard's logs <see cref="SweepParallelism"/> at a time: a removal is several round trips, and a
    /// cluster finishing hundreds of executions a second must not outrun its one sweeper. Returns how many it removed.
    /// </summary>
    public async Task<int> SweepExpired(int maxPerShard = 100)
    {
        var now = Key(_time.GetUtcNow().UtcTicks);
        var removed = await Task.WhenAll(Enumerable.Range(0, ExpiryShards).Select(async shard =>
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ExpiryShardName(shard)} and RowKey lt {now}");
            var due = (await _expiry.QueryAsync<TableEntity>(filter, maxPerPage: maxPerShard).AsPages().FirstOrDefaultAsync())?.Values ?? [];
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = SweepParallelism }, async (record, ct) =>
            {
                await Delete(record.RowKey[(LastRow.Length + 1)..]);
                await _expiry.DeleteEntityAsync(record.PartitionKey, record.RowKey, ETag.All, ct);
            });
            return due.Count;
        }));
        return removed.Sum();
    }

    /// <summary>Removes a log whole: its rows, its head and every blob under its name (artifacts, large batches).</summary>
    public async Task Delete(string executionId)
    {
        CheckKey(executionId);
        _heads.TryRemove(executionId, out _);
        var rows = new List<TableEntity>();
        await foreach (var row in _logs.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {executionId}"), select: ["RowKey"]))
        {
            rows.Add(row);
        }

        await DeleteRows(executionId, rows);
        var blobs = new List<string>();
        await foreach (var blob in _blobs.GetBlobsAsync(new GetBlobsOptions { Prefix = executionId + "/" }))
        {
            blobs.Add(blob.Name);
        }

        await DeleteBlobs(blobs);
    }

    /// <summary>Sequences (and ticks) as 19 digits, so that the Table service's string order is their numeric order.</summary>
    private static string Key(long value) => value.ToString("D19", CultureInfo.InvariantCulture);

    private static string ArtifactBlob(string executionId, string sha256) => $"{executionId}/artifacts/{sha256}";

    private static string ExpiryShard(string executionId) => ExpiryShardName((int)((uint)string.GetHashCode(executionId, StringComparison.Ordinal) % ExpiryShards));

    // Not string.GetHashCode's value itself: it differs between processes, the shard count must not.
    private static string ExpiryShardName(int shard) => "due-" + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary>Keys cannot hold '/', '\', '#', '?' or control characters; execution ids are hex digits.</summary>
    private static void CheckKey(string executionId)
    {
        if (executionId.Length is 0 or > 256 || executionId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"'{executionId}' cannot name an execution log.", nameof(executionId));
        }
    }

    private async Task<Head> ReadHead(string executionId, CancellationToken ct)
    {
        var head = await _logs.GetEntityIfExistsAsync<TableEntity>(executionId, HeadRow, cancellationToken: ct);
        return head.HasValue && head.Value is { } row ? new Head(row.GetInt64("Last") ?? 0, row.ETag) : new Head(0, null);
    }

    /// <summary>A batch's row, keyed by its last sequence: its JSON in the row, or in a blob named by its content.</summary>
    private async Task<TableEntity> ToRow(string executionId, IReadOnlyList<AgentEvent> events, CancellationToken ct)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(events, AgentJson.Options);
        var row = new TableEntity(executionId, Key(events[^1].Sequence)) { ["First"] = events[0].Sequence };
        if (json.Length <= TableChunks.MaxBytes)
        {
            TableChunks.Write(row, json);
        }
        else
        {
            // Content-named: a competing activation's batch of the same sequences cannot overwrite this one.
            var name = $"{executionId}/batches/{Key(events[0].Sequence)}-{Convert.ToHexStringLower(SHA256.HashData(json))}";
            await _blobs.GetBlobClient(name).UploadAsync(BinaryData.FromBytes(json), overwrite: true, ct);
            row["Blob"] = name;
        }

        return row;
    }

    private async Task<IReadOnlyList<AgentEvent>> Events(TableEntity row, CancellationToken ct)
    {
        ReadOnlyMemory<byte> json = row.GetString("Blob") is { } blob
            ? (await _blobs.GetBlobClient(blob).DownloadContentAsync(ct)).Value.Content.ToMemory()
            : TableChunks.Read(row);
        return JsonSerializer.Deserialize<AgentEvent[]>(json.Span, AgentJson.Options) ?? [];
    }

    private async Task DeleteRows(string executionId, IEnumerable<TableEntity> rows)
    {
        foreach (var chunk in rows.Chunk(100)) // a transaction holds at most 100 operations
        {
            try
            {
                await _logs.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(
                    TableTransactionActionType.Delete, new TableEntity(executionId, r.RowKey), ETag.All)));
            }
            catch (TableTransactionFailedException ex) when (ex.Status == 404)
            {
                // Some were gone already (a sweep repeated after a crash): the others one by one.
                await Task.WhenAll(chunk.Select(r => _logs.DeleteEntityAsync(executionId, r.RowKey, ETag.All)));
            }
        }
    }

    private async Task DeleteBlobs(IEnumerable<string> names) =>
        await Task.WhenAll(names.Select(name => _blobs.GetBlobClient(name).DeleteIfExistsAsync()));

    private sealed record Head(long Last, ETag? ETag);
}
