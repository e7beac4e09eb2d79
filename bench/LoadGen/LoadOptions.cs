using System.Net;
using System.Globalization;

namespace Orleans.Agent.Bench;

/// <summary>The command line after the profile name: which servers, which store, and overrides of the profile's sizes.</summary>
internal sealed record LoadOptions(Profile Profile, IReadOnlyList<ServerKind> Servers, bool Redis, bool Pin, IReadOnlyList<string> ServerSettings)
{
    /// <summary><c>--cluster plain|tls</c>: the product as a silo process plus an API node joining it, on Redis.</summary>
    public ClusterMode Cluster { get; init; }

    /// <summary><c>--product DIR</c>: run the product from this directory (a publish output, e.g. ReadyToRun) instead of its build output.</summary>
    public string? ProductDirectory { get; init; }

    /// <summary><c>--env KEY=VALUE</c>: environment variables for the product's process (e.g. <c>DOTNET_TieredPGO=0</c>).</summary>
    public IReadOnlyList<string> ProductEnvironment { get; init; } = [];

    /// <summary>
    /// <c>--repeat N</c>: the servers in turn, N times over, each time in fresh processes; the report gives each figure's
    /// median over a server's runs, since one process's rate is a draw (items 18 and 35 of docs/benchmarks.md).
    /// </summary>
    public int Repeat { get; init; } = 1;

    public static LoadOptions Parse(string[] args, Profile profile)
    {
        // The baselines have no live text: the deltas profile measures the product against itself without it.
        var options = new LoadOptions(profile, profile.Kind == ProfileKind.Deltas ? [ServerKind.Orleans] : AllServers, Redis: false, Pin: true, ServerSettings: []);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : "";
            options = args[i] switch
            {
                "--server" => options with
                {
                    Servers = value switch
                    {
                        "orleans" => [ServerKind.Orleans],
                        "baseline" => [ServerKind.Baseline],
                        "node" => [ServerKind.Node],
                        "both" => [ServerKind.Orleans, ServerKind.Baseline],
                        "all" => AllServers,
                        _ => throw new ArgumentException("--server orleans|baseline|node|both|all"),
                    },
                },
                "--store" => options with { Redis = value == "redis" || (value == "memory" ? false : throw new ArgumentException("--store memory|redis")) },
                "--executions" => options with { Profile = options.Profile with { Executions = Number(value) } },
                "--concurrency" => options with { Profile = options.Profile with { Concurrency = Number(value) } },
                "--clients" => options with { Profile = options.Profile with { Clients = Number(value) } },
                // Steps per phase: more events per execution at the same step rate, to tell per-execution costs from per-event ones.
                "--steps" => options with { Profile = options.Profile with { Workload = options.Profile.Workload with { Steps = Number(value, allowZero: true) } } },
                "--rounds" => options with { Profile = options.Profile with { Rounds = Number(value) } },
                "--duration" => options with { Profile = options.Profile with { Duration = TimeSpan.FromSeconds(Number(value)) } },
                "--warmup" => options with { Profile = options.Profile with { WarmUp = TimeSpan.FromSeconds(Number(value, allowZero: true)) } },
                "--connections" => options with { Profile = options.Profile with { Connections = Number(value) } },
                "--repeat" => options with { Repeat = Number(value) },
                "--no-pin" => options with { Pin = false },
                "--encoding" => options with
                {
                    Profile = options.Profile with
                    {
                        Encoding = value switch
                        {
                            "identity" => DecompressionMethods.None,
                            "gzip" => DecompressionMethods.GZip,
                            "br" => DecompressionMethods.Brotli,
                            _ => throw new ArgumentException("--encoding identity|gzip|br"),
                        },
                    },
                },
                "--cluster" => options with
                {
                    Redis = true,
                    Cluster = value switch
                    {
                        "plain" => ClusterMode.Plain,
                        "tls" => ClusterMode.Tls,
                        _ => throw new ArgumentException("--cluster plain|tls"),
                    },
                },
                "--product" => options with
                {
                    ProductDirectory = File.Exists(Path.Combine(value, "Orleans.Agent.Api.dll"))
                        ? Path.GetFullPath(value)
                        : throw new ArgumentException($"--product {value}: no Orleans.Agent.Api.dll there"),
                },
                "--env" => options with
                {
                    ProductEnvironment = value.Contains('=', StringComparison.Ordinal)
                        ? [.. options.ProductEnvironment, value]
                        : throw new ArgumentException("--env KEY=VALUE"),
                },
                // A configuration key for the product, e.g. --set Silo:StreamPullPeriod=00:00:00.005, to try a setting.
                "--set" => options with { ServerSettings = [.. options.ServerSettings, "--" + value] },
                _ => throw new ArgumentException("unknown option " + args[i]),
            };
            i += args[i] == "--no-pin" ? 0 : 1;
        }

        if (options.Profile.Kind == ProfileKind.Deltas && options.Servers.Any(s => s != ServerKind.Orleans))
        {
            throw new ArgumentException("the deltas profile runs on orleans only: the baselines have no live text");
        }

        return options;
    }

    /// <summary>The default: the product, then raw Kestrel (the floor), then Node.js/Express, in one invocation.</summary>
    private static IReadOnlyList<ServerKind> AllServers { get; } = [ServerKind.Orleans, ServerKind.Baseline, ServerKind.Node];

    private static int Number(string value, bool allowZero = false) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (n > 0 || allowZero)
            ? n
            : throw new ArgumentException($"expected a {(allowZero ? "non-negative" : "positive")} whole number, got {value}");
}

/// <summary>How the product runs: one process with its own silo, or an API node and a silo process (with or without mTLS).</summary>
internal enum ClusterMode
{
    None,
    Plain,
    Tls,
}
