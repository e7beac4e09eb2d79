// Measures event-log append throughput on a real redis-server: the same events appended one per write and in
// group-committed batches, as the execution grain does. Starts its own redis-server on a free loopback port
// unless a connection string is given. Usage: dotnet run -c Release --project bench/LogAppendBench [-- events [redis]]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Orleans.Agent.Events;
using Orleans.Agent.Grains.Storage;
using StackExchange.Redis;

var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
Process? redisProcess = null;
var connectionString = args.Length > 1 ? args[1] : null;
if (connectionString is null)
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    redisProcess = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]) { RedirectStandardOutput = true })!;
    connectionString = $"127.0.0.1:{port}";
    await Task.Delay(300);
}

try
{
    using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString);
    var store = new RedisExecutionLogStore(redis, "bench");
    var thought = new string('x', 200);
    Console.WriteLine($"{events} events of a 200-character thought each, redis {connectionString}, {Environment.ProcessorCount} cores");
    Console.WriteLine("batch size | events/s | µs per event");
    foreach (var batchSize in new[] { 1, 10, 100, 500 })
    {
        var executionId = $"bench-{batchSize}-{Guid.NewGuid():N}";
        var clock = Stopwatch.StartNew();
        for (var start = 1; start <= events; start += batchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(batchSize, events - start + 1))
                .Select(i => new AgentEvent(executionId, i, AgentEventTypes.Thinking, DateTimeOffset.UtcNow, new ThinkingData(thought, i)))
                .ToArray();
            await store.Append(executionId, batch);
        }

        clock.Stop();
        var read = await store.Read(executionId, 0, events + 1);
        if (read.Count != events)
        {
            throw new InvalidOperationException($"Read back {read.Count} events, not {events}.");
        }

        Console.WriteLine($"{batchSize,10} | {events / clock.Elapsed.TotalSeconds,8:F0} | {clock.Elapsed.TotalMicroseconds / events,12:F1}");
    }
}
finally
{
    redisProcess?.Kill();
}
