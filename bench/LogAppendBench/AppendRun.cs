using System.Diagnostics;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;

namespace Orleans.Agent.Bench;

/// <summary>One store's run: appends by batch size, then a read of the newest 64 events of the log just written.</summary>
internal static class AppendRun
{
    private static readonly string Thought = new('x', 200);

    public static async Task Measure(string name, IExecutionLogStore store, int events)
    {
        Console.WriteLine();
        Console.WriteLine(name);
        Console.WriteLine("batch size | events/s | µs per event | read of the last 64 (ms)");
        foreach (var batchSize in new[] { 1, 10, 100, 500 })
        {
            var executionId = $"bench-{batchSize}-{Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            for (var start = 1; start <= events; start += batchSize)
            {
                var batch = Enumerable.Range(start, Math.Min(batchSize, events - start + 1))
                    .Select(i => new AgentEvent(executionId, i, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData(Thought, i)))
                    .ToArray();
                await store.Append(executionId, batch);
            }

            clock.Stop();
            var read = Stopwatch.StartNew();
            var tail = await store.Read(executionId, events - 64, 64);
            read.Stop();
            if (tail.Count != 64 || tail[^1].Sequence != events || (await store.Read(executionId, 0, events + 1)).Count != events)
            {
                throw new InvalidOperationException($"{name}: the log read back is not the log written.");
            }

            Console.WriteLine($"{batchSize,10} | {events / clock.Elapsed.TotalSeconds,8:F0} | {clock.Elapsed.TotalMicroseconds / events,12:F1} | {read.Elapsed.TotalMilliseconds,8:F1}");
        }
    }
}
