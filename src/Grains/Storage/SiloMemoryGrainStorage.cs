using System.Globalization;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orleans.Agent.Grains.Storage;

/// <summary>
/// Grain state in this silo's memory, as serialized bytes, checked by e-tag like any Orleans storage. Hand-written
/// because Orleans' memory storage spreads state over the cluster with a grain call per read and write, a seventh of
/// a start's CPU (docs/benchmarks.md item 35); here, like the memory event log beside it, state lives and dies with
/// the silo.
/// </summary>
public sealed class SiloMemoryGrainStorage(Serializer serializer, IActivatorProvider activators) : IGrainStorage
{
    private readonly Dictionary<(string StateName, GrainId GrainId), Entry> _entries = [];
    private long _lastETag;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        Entry? entry;
        lock (_entries)
        {
            _entries.TryGetValue((stateName, grainId), out entry);
        }

        grainState.State = entry is null ? activators.GetActivator<T>().Create() : serializer.Deserialize<T>(entry.Data);
        grainState.ETag = entry?.ETag;
        grainState.RecordExists = entry is not null;
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = serializer.SerializeToArray(grainState.State);
        lock (_entries)
        {
            var key = (stateName, grainId);
            CheckETag(key, grainState.ETag);
            var entry = new Entry(data, (++_lastETag).ToString(CultureInfo.InvariantCulture));
            _entries[key] = entry;
            grainState.ETag = entry.ETag;
        }

        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_entries)
        {
            var key = (stateName, grainId);
            CheckETag(key, grainState.ETag);
            _entries.Remove(key);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
        return Task.CompletedTask;
    }

    /// <summary>A write must start from the version stored now (none, for a grain that has none): two activations of one grain cannot both win.</summary>
    private void CheckETag((string, GrainId) key, string? expected)
    {
        var stored = _entries.TryGetValue(key, out var entry) ? entry.ETag : null;
        if (stored != expected)
        {
            throw new InconsistentStateException($"E-tag mismatch in silo memory storage: stored {stored ?? "none"}, expected {expected ?? "none"}.", stored, expected);
        }
    }

    private sealed record Entry(byte[] Data, string ETag);
}
