// Measures event-log appends on real stores: the same events appended one per write and in group-committed batches,
// as the execution grain does, then a read of the last 64 events. Starts its own redis-server and Azurite on free
// loopback ports. On Azure Storage it measures the product's layout (Tables: a row per batch and a head row, one
// entity-group transaction per append) next to the other candidate, Append Blobs (a blob per log, a block per batch
// appended under an append-position condition).
// Usage: dotnet run -c Release --project bench/LogAppendBench [-- <events> [redis|azure|all]]
using System.Globalization;
using Orleans.Agent.Bench;
using Orleans.Agent.Grains.Storage;
using Orleans.Agent.Grains.Storage.Azure;
using StackExchange.Redis;

var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var which = args.Length > 1 ? args[1] : "all";
Console.WriteLine($"{events} events of a 200-character thought each, {Environment.ProcessorCount} cores; the store runs on the same machine");

if (which is "redis" or "all")
{
    await using var redis = await StoreProcess.Redis();
    using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Endpoint);
    await AppendRun.Measure($"Redis (sorted set per log, one script call per append), {redis.Endpoint}", new RedisExecutionLogStore(connection, "bench"), events);
}

if (which is "azure" or "all")
{
    await using var azurite = await StoreProcess.Azurite();
    var clients = new AzureStorageClients(new StorageOptions { Provider = "AzureStorage", AzureStorage = { ConnectionString = azurite.Endpoint } });
    await AzureStorageCheck.EnsureReady(clients, new AzureStorageOptions(), CancellationToken.None);
    await AppendRun.Measure("Azure Tables on Azurite (the product's layout)", new AzureExecutionLogStore(clients), events);
    await AppendRun.Measure("Append Blobs on Azurite (the other candidate)", new AppendBlobLog(clients.Blobs.GetBlobContainerClient(clients.ArtifactContainer)), events);
}
