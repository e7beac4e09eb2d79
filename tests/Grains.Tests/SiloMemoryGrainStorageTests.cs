using Microsoft.Extensions.DependencyInjection;
using Orleans.Agent.Grains.Executions;
using Orleans.Agent.Grains.Storage;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Orleans.Agent.Tests;

/// <summary>The local default's grain state: kept as a copy, versioned by e-tag like every Orleans storage.</summary>
public sealed class SiloMemoryGrainStorageTests
{
    private static readonly GrainId Grain = GrainId.Create("execution", "e1");

    private readonly SiloMemoryGrainStorage _storage;

    public SiloMemoryGrainStorageTests()
    {
        var services = new ServiceCollection().AddSerializer().BuildServiceProvider();
        _storage = new SiloMemoryGrainStorage(services.GetRequiredService<Serializer>(), services.GetRequiredService<IActivatorProvider>());
    }

    [Fact]
    public async Task A_write_is_read_back_as_a_copy_and_a_missing_record_reads_as_a_new_state()
    {
        var missing = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("executions", Grain, missing);
        Assert.False(missing.RecordExists);
        Assert.Null(missing.ETag);
        Assert.Null(missing.State!.OwnerId);

        var written = new GrainState<ExecutionState>(new ExecutionState { OwnerId = "alice", Task = "t", Runs = 2 });
        await _storage.WriteStateAsync("executions", Grain, written);
        written.State!.OwnerId = "changed after the write";

        var read = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("executions", Grain, read);
        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(("alice", "t", 2L), (read.State!.OwnerId, read.State.Task, read.State.Runs));

        var otherState = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("PubSubStore", Grain, otherState);
        Assert.False(otherState.RecordExists); // the same grain under another state name is another record
    }

    [Fact]
    public async Task A_write_or_clear_from_an_outdated_version_is_refused_and_changes_nothing()
    {
        var first = new GrainState<ExecutionState>(new ExecutionState { OwnerId = "alice" });
        await _storage.WriteStateAsync("executions", Grain, first);
        var stale = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("executions", Grain, stale);
        first.State!.Runs = 2;
        await _storage.WriteStateAsync("executions", Grain, first);

        stale.State!.OwnerId = "mallory";
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("executions", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync("executions", Grain, stale));
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("executions", Grain, new GrainState<ExecutionState>(new ExecutionState())));

        var read = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("executions", Grain, read);
        Assert.Equal(("alice", 2L, first.ETag), (read.State!.OwnerId, read.State.Runs, read.ETag));

        await _storage.ClearStateAsync("executions", Grain, read);
        Assert.False(read.RecordExists);
        var cleared = new GrainState<ExecutionState>();
        await _storage.ReadStateAsync("executions", Grain, cleared);
        Assert.False(cleared.RecordExists);
        await _storage.WriteStateAsync("executions", Grain, cleared); // a new record starts again from none
        Assert.NotNull(cleared.ETag);
    }
}
