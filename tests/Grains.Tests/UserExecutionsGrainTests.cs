using Orleans.Agent.Executions;

namespace Orleans.Agent.Tests;

[Collection(AgentClusterCollection.Name)]
public sealed class UserExecutionsGrainTests(AgentClusterFixture fixture)
{
    [Fact]
    public async Task Records_made_while_a_write_is_in_flight_are_durable_when_their_calls_return()
    {
        var index = fixture.Client.GetGrain<IUserExecutionsGrain>("index-" + Guid.NewGuid().ToString("N"));
        var ids = Enumerable.Range(0, 300).Select(_ => Guid.CreateVersion7().ToString("N")).ToList();

        // Ten callers, each recording in turn: the reentrant grain interleaves them, so records keep landing while
        // an earlier write is in flight, and the last ones are covered only by the write queued behind it.
        await Task.WhenAll(ids.Chunk(30).Select(async lane =>
        {
            foreach (var id in lane)
            {
                await index.Record(new ExecutionSummary(id, "task", DateTimeOffset.UtcNow, ExecutionStatus.Running));
            }
        }));
        await fixture.Cluster.DeactivateAsync(index); // the next call reads the index back from storage

        Assert.Equal(ids.Order(StringComparer.Ordinal), (await ListAll(index)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_second_record_of_an_execution_replaces_its_entry()
    {
        var index = fixture.Client.GetGrain<IUserExecutionsGrain>("index-" + Guid.NewGuid().ToString("N"));
        var id = Guid.CreateVersion7().ToString("N");

        await Task.WhenAll(
            index.Record(new ExecutionSummary(id, "task", DateTimeOffset.UtcNow, ExecutionStatus.Running)),
            index.Record(new ExecutionSummary(Guid.CreateVersion7().ToString("N"), "other", DateTimeOffset.UtcNow, ExecutionStatus.Running)));
        await index.Record(new ExecutionSummary(id, "task", DateTimeOffset.UtcNow, ExecutionStatus.Completed));
        await fixture.Cluster.DeactivateAsync(index);

        var entries = (await index.List(null, 100)).Items;
        Assert.Equal(2, entries.Length);
        Assert.Equal(ExecutionStatus.Completed, Assert.Single(entries, e => e.ExecutionId == id).Status);
    }

    private static async Task<List<string>> ListAll(IUserExecutionsGrain index)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await index.List(cursor, 100);
            ids.AddRange(page.Items.Select(e => e.ExecutionId));
            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return ids;
    }
}
