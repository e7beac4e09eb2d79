using System.Globalization;
using Orleans.Agent.Api.Executions;

namespace Orleans.Agent.Tests;

public sealed class ExecutionIdsTests
{
    [Fact]
    public void Ids_made_one_after_another_are_well_formed_version_7_uuids_in_strictly_increasing_order()
    {
        // Thousands within each millisecond: the order must not depend on the random part.
        var ids = Enumerable.Range(0, 20_000).Select(_ => ExecutionIds.New()).ToList();

        Assert.All(ids, id =>
        {
            Assert.True(ExecutionIds.IsValid(id), id);
            Assert.Equal('7', id[12]); // version
            Assert.Contains(id[16], "89ab"); // variant
        });
        for (var i = 1; i < ids.Count; i++)
        {
            Assert.True(string.CompareOrdinal(ids[i - 1], ids[i]) < 0, $"{ids[i - 1]} is not before {ids[i]}");
        }

        var createdAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(ids[0][..12], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.InRange(createdAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
