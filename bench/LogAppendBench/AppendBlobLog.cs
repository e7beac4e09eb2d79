using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Bench;

/// <summary>
/// The Append Blob candidate for the event log, as far as the comparison needs: a blob per log, each batch one block
/// of JSON lines appended only if the blob still ends where this writer last saw it (atomic, and a second writer is
/// refused). A read by sequence has no index to start from: it downloads the blob and skips to the sequence.
/// </summary>
internal sealed class AppendBlobLog(BlobContainerClient container) : IExecutionLogStore
{
    private readonly ConcurrentDictionary<string, long> _lengths = new();

    public async Task Append(string executionId, IReadOnlyList<AgentEvent> events)
    {
        var blob = container.GetAppendBlobClient(executionId);
        if (!_lengths.TryGetValue(executionId, out var length))
        {
            await blob.CreateIfNotExistsAsync();
            length = 0;
        }

        using var block = new MemoryStream();
        foreach (var evt in events)
        {
            JsonSerializer.Serialize(block, evt, AgentJson.Options);
            block.WriteByte((byte)'\n');
        }

        block.Position = 0;
        try
        {
            await blob.AppendBlockAsync(block, new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = length } });
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new LogConflictException($"Log {executionId} no longer ends at byte {length}.");
        }

        _lengths[executionId] = length + block.Length;
    }

    public async Task<IReadOnlyList<AgentEvent>> Read(string executionId, long afterSequence, int maxCount)
    {
        var content = (await container.GetBlobClient(executionId).DownloadContentAsync()).Value.Content.ToMemory();
        var result = new List<AgentEvent>();
        var span = content.Span;
        while (span.Length > 0 && result.Count < maxCount)
        {
            var end = span.IndexOf((byte)'\n');
            var evt = JsonSerializer.Deserialize<AgentEvent>(span[..end], AgentJson.Options)!;
            if (evt.Sequence > afterSequence)
            {
                result.Add(evt);
            }

            span = span[(end + 1)..];
        }

        return result;
    }

    public Task<long> LastSequence(string executionId) => throw new NotSupportedException();

    public Task Ping() => Task.CompletedTask;

    public Task Retain(string executionId, int keepEvents, TimeSpan timeToLive) => throw new NotSupportedException();

    public Task PutArtifacts(string executionId, IReadOnlyList<ExecutionArtifact> artifacts) => throw new NotSupportedException();

    public Task<byte[]?> ReadArtifact(string executionId, string sha256) => throw new NotSupportedException();
}
