using Microsoft.Extensions.Time.Testing;
using Orleans.Agent.Api.Streaming;

namespace Orleans.Agent.Tests;

/// <summary>The node's pace for live text on its own, on a fake clock: at once below the rate, in turn and once above it.</summary>
public sealed class TextPacerTests
{
    [Fact]
    public async Task Above_its_rate_connections_are_woken_in_turn_each_once_however_many_pieces_came()
    {
        var time = new FakeTimeProvider();
        var pacer = new TextPacer(framesPerSecond: 100, time); // a reserve of 10
        var connections = Enumerable.Range(0, 30).Select(_ => new LiveBuffer(16, 1 << 20, 0) { WantsTexts = true }).ToArray();

        foreach (var connection in connections)
        {
            pacer.Wake(connection);
            pacer.Wake(connection); // a second piece before its turn
        }

        Assert.Equal(Enumerable.Range(0, 10), Woken(connections)); // the reserve, at once
        Assert.Equal(20, pacer.Waiting);
        Assert.Equal(20, pacer.Waited);

        time.Advance(TimeSpan.FromMilliseconds(50)); // 5 more at 100 a second
        var woken = await WokenUntil(connections, 5, () => { });
        Assert.Equal(Enumerable.Range(10, 5), woken); // in the order they came
        Assert.Equal(15, pacer.Waiting);

        pacer.Wake(connections[0]); // woken before, so it waits behind the others now
        // A turn at a time: the reserve caps what a long pause saves up.
        woken = await WokenUntil(connections, 16, () => time.Advance(TimeSpan.FromMilliseconds(10)));
        Assert.Equal(Enumerable.Range(15, 15).Prepend(0), woken);
        Assert.Equal(0, pacer.Waiting);
        Assert.Empty(Woken(connections)); // each once: the second piece went with the first
        Assert.Equal(21, pacer.Waited);
    }

    [Fact]
    public void Below_its_rate_and_unpaced_every_connection_is_woken_at_once()
    {
        var time = new FakeTimeProvider();
        var paced = new TextPacer(framesPerSecond: 1_000, time);
        var connections = Enumerable.Range(0, 50).Select(_ => new LiveBuffer(16, 1 << 20, 0) { WantsTexts = true }).ToArray();
        for (var round = 0; round < 5; round++)
        {
            foreach (var connection in connections)
            {
                paced.Wake(connection);
            }

            Assert.Equal(Enumerable.Range(0, 50), Woken(connections));
            Assert.Equal(0, paced.Waited);
            time.Advance(TimeSpan.FromMilliseconds(50)); // 50 a round: the rate
        }

        foreach (var connection in connections)
        {
            TextPacer.Unpaced.Wake(connection);
            TextPacer.Unpaced.Wake(connection);
        }

        Assert.Equal(Enumerable.Range(0, 50), Woken(connections));
    }

    /// <summary>
    /// The connections woken for text, by index, once <paramref name="count"/> were (the pacer wakes them on the thread
    /// pool after a tick of its fake clock, which <paramref name="tick"/> may advance at each look).
    /// </summary>
    private static async Task<List<int>> WokenUntil(LiveBuffer[] connections, int count, Action tick)
    {
        var woken = new List<int>();
        await Poll.Until(() =>
        {
            woken.AddRange(Woken(connections));
            tick();
            return Task.FromResult(woken.Count >= count);
        }, ApiServer.Deadline);
        woken.Sort();
        return woken;
    }

    /// <summary>The connections woken for text since the last look, by index.</summary>
    private static List<int> Woken(LiveBuffer[] connections) =>
        [.. connections.Select((c, i) => (Text: c.TakeWakes().HasFlag(LiveWake.Text), i)).Where(w => w.Text).Select(w => w.i)];
}
