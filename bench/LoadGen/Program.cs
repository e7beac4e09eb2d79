using System.Runtime.InteropServices;
using Orleans.Agent.Bench;

// Load generator: runs a profile against Orleans.Agent and against baselines of the same shape (raw Kestrel, and
// Node.js/Express), each a fresh process pinned to its own core, and prints the figures side by side. Exits 1 if any
// client saw a gap, a duplicate, a reorder, a missing event or an error. Usage and profiles: docs/benchmarks.md.
var usage = $"usage: LoadGen <{string.Join('|', Profile.All.Select(p => p.Name))}> [--server orleans|baseline|node|both|all] [--store memory|redis] " +
    "[--cluster plain|tls] [--product DIR] [--env KEY=VALUE] [--executions N] [--concurrency N] [--clients N] [--connections N] [--steps N] [--rounds N] [--duration SECONDS] [--warmup SECONDS] [--repeat N] [--set Key=Value] [--no-pin]";
if (args.Length == 0 || Profile.Find(args[0]) is not { } profile)
{
    Console.Error.WriteLine(usage);
    return 2;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args[1..], profile);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(usage);
    return 2;
}

if (options.Pin)
{
    CpuPinning.PinGenerator();
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// Killed (SIGTERM) rather than interrupted: unwind the same way, so the server processes it started are stopped too
// instead of outliving the generator on their pinned core.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var results = new List<RunResult>();
try
{
    foreach (var (run, kind) in Enumerable.Range(1, options.Repeat).SelectMany(run => options.Servers.Select(kind => (run, kind))))
    {
        var core = options.Pin ? CpuPinning.ServerCore : null;
        await using var redis = kind == ServerKind.Orleans && options.Redis ? await RedisProcess.Start(core) : null;
        await using var silo = kind == ServerKind.Orleans && options.Cluster != ClusterMode.None
            ? await SiloProcess.Start(redis!.ConnectionString, options.Cluster == ClusterMode.Tls, core)
            : null;
        await using var server = await ServerProcess.Start(
            kind, redis?.ConnectionString, [.. silo?.ApiSettings ?? [], .. options.ServerSettings], core, options.ProductDirectory, options.ProductEnvironment, stop.Token);
        var shape = silo is null ? "" : options.Cluster == ClusterMode.Tls ? ", API node + silo process with mutual TLS" : ", API node + silo process";
        var of = options.Repeat > 1 ? $", run {run} of {options.Repeat}" : "";
        Console.WriteLine($"{profile.Name} on {kind}{(redis is null ? "" : " (Redis store")}{shape}{(redis is null ? "" : ")")}{of} at {server.Url} ...");
        if (options.Profile.Kind is ProfileKind.Stream or ProfileKind.Deltas)
        {
            await StreamLoad.WarmUp(options.Profile, server, stop.Token);
        }

        var result = options.Profile.Kind switch
        {
            ProfileKind.Stream => await StreamLoad.Run(options.Profile, server, stop.Token),
            ProfileKind.Deltas => await DeltaLoad.Run(options.Profile, server, stop.Token),
            ProfileKind.Idle => await IdleLoad.Run(options.Profile, server, stop.Token),
            ProfileKind.CatchUp => await CatchUpLoad.Run(options.Profile, server, stop.Token),
            _ => await ParkedLoad.Run(options.Profile, server, stop.Token),
        };
        stop.Token.ThrowIfCancellationRequested(); // a stopped run's cut-off clients are not faults to report
        results.Add(result);
        if (server.HasExited)
        {
            Console.Error.WriteLine($"The {kind} server died during the run:{Environment.NewLine}{server.LastOutput()}");
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped before the end; the servers it started are stopped too.");
    return 130;
}

Console.WriteLine();
Console.WriteLine(Report.Table(results));
return results.Any(r => r.Faults > 0) ? 1 : 0;
