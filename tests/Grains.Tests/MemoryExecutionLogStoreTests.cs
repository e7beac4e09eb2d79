using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Tests;

public sealed class MemoryExecutionLogStoreTests
{
    [Fact]
    public async Task Artifacts_are_kept_by_name_per_execution()
    {
        var store = new MemoryExecutionLogStore();
        var artifact = new ExecutionArtifact(new string('a', 64), [1, 2, 3]);

        await store.PutArtifacts("e1", [artifact]);
        await store.PutArtifacts("e1", [artifact with { Content = [9] }]); // named by content: the first write stands

        Assert.Equal([1, 2, 3], await store.ReadArtifact("e1", artifact.Sha256));
        Assert.Null(await store.ReadArtifact("e2", artifact.Sha256));
        Assert.Null(await store.ReadArtifact("e1", new string('b', 64)));
    }
}
