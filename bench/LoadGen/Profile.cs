using System.Net;
namespace Orleans.Agent.Bench;

/// <summary>What a profile does with its executions: stream every event, hold idle connections, or park executions.</summary>
internal enum ProfileKind
{
    Stream,

    /// <summary>Stream with live text, paired round by round with the same run without it (<see cref="DeltaLoad"/>).</summary>
    Deltas,
    Idle,
    Parked,
    CatchUp,
}

/// <summary>
/// <c>context.workload</c> of every execution a profile starts. With <paramref name="DeltaChars"/>, each thought is
/// written live first, a piece of that many characters every <paramref name="DeltaDelayMs"/>.
/// </summary>
internal sealed record Workload(int Phases, int Steps, int DelayMs, int ThoughtBytes, int DeltaChars = 0, int DeltaDelayMs = 0)
{
    /// <summary>Deltas per execution: each thought's pieces.</summary>
    public long DeltaCount => DeltaChars == 0 ? 0 : (long)Phases * Steps * ((ThoughtBytes + DeltaChars - 1) / DeltaChars);

    /// <summary>The same events over the same time without live text: each step waits as long as its thought took to write.</summary>
    public Workload WithoutDeltas => this with { DelayMs = DelayMs + StepWritingMs, DeltaChars = 0, DeltaDelayMs = 0 };

    /// <summary>
    /// Over the same time, as many more durable events as this workload has deltas (a step is three events: a thought
    /// of one piece's size and a tool call), so that one more durable event is priced like one more delta.
    /// </summary>
    public Workload DeltasAsEvents
    {
        get
        {
            var steps = Steps + (int)(DeltaCount / Phases / 3);
            return new Workload(Phases, steps, (DelayMs + StepWritingMs) * Steps / steps, DeltaChars);
        }
    }

    private int StepWritingMs => DeltaChars == 0 ? 0 : ((ThoughtBytes + DeltaChars - 1) / DeltaChars - 1) * DeltaDelayMs;

    /// <summary>The standard workload: 99 events, a step every 20 ms.</summary>
    public static Workload Standard { get; } = new(3, 10, 20, 200);

    /// <summary>Three events (started, plan, phase start), then an hour's wait: an execution that is running but quiet.</summary>
    public static Workload Parked { get; } = new(1, 1, 3_600_000, 0);

    public long EventCount => 3 + (long)Phases * (2 + 3L * Steps);

    /// <summary>Events emitted before the first step's delay.</summary>
    public const int EventsBeforeFirstStep = 3;
}

/// <summary>
/// One load profile. <paramref name="Executions"/> are started, <paramref name="Concurrency"/> at a time; in a stream
/// profile each is followed to its end by <paramref name="Clients"/> SSE clients. An idle profile spreads
/// <paramref name="Connections"/> quiet SSE connections over the executions; a parked profile only starts them.
/// </summary>
internal sealed record Profile(
    string Name, ProfileKind Kind, int Executions, int Concurrency, int Clients, Workload Workload, TimeSpan Deadline, int Connections = 0)
{
    /// <summary>
    /// How long a stream profile runs its own workload before measuring. .NET compiles a method quickly first and
    /// optimises it only after it has run a while (tiered compilation, with profile-guided instrumentation in
    /// between): heavy measured straight after a short warm-up delivered 13,640 events/s, and 25,071 with every
    /// method fully optimised from the start. A server runs for days, so the figures are taken at steady state.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How many times a stream profile runs in its measured phase; the figures are over all rounds. A round of fanout
    /// lasts under a second and one of heavy about five, so a single garbage collection or JIT promotion moved a
    /// one-round figure by a tenth: more rounds make the ratio to the baseline a measurement, not a draw.
    /// </summary>
    public int Rounds { get; init; } = 1;

    /// <summary>
    /// <c>--duration SECONDS</c>: a stream profile's measured phase repeats rounds until this long has passed, instead
    /// of <see cref="Rounds"/> times; with no warm-up, <c>--duration 60</c> measures a fresh server's first minute.
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The clients ask for live text (<c>?deltas=true</c>) and time each piece from the stamp the workload wrote in it.</summary>
    public bool Deltas { get; init; }

    /// <summary>What the clients accept (<c>--encoding identity|gzip|br</c>), decompressing as a browser does.</summary>
    public DecompressionMethods Encoding { get; init; } = DecompressionMethods.None;

    public static IReadOnlyList<Profile> All { get; } =
    [
        new("light", ProfileKind.Stream, Executions: 200, Concurrency: 10, Clients: 1, Workload.Standard, TimeSpan.FromMinutes(2)),
        new("heavy", ProfileKind.Stream, Executions: 2_000, Concurrency: 1_000, Clients: 1, Workload.Standard, TimeSpan.FromMinutes(5))
        {
            Rounds = 4,
        },
        new("fanout", ProfileKind.Stream, Executions: 50, Concurrency: 50, Clients: 20, Workload.Standard, TimeSpan.FromMinutes(3))
        {
            Rounds = 20,
        },
        new("idle", ProfileKind.Idle, Executions: 100, Concurrency: 500, Clients: 0, Workload.Parked, TimeSpan.FromMinutes(5), Connections: 19_000),
        new("parked", ProfileKind.Parked, Executions: 50_000, Concurrency: 64, Clients: 0, Workload.Parked, TimeSpan.FromMinutes(10)),
        // A finished 20 MB log (1,000 thoughts of 20 KB, 3,005 events) read from the start by 15 clients at once, 3 times.
        new("catchup", ProfileKind.CatchUp, Executions: 1, Concurrency: 1, Clients: 15, new Workload(1, 1_000, 0, 20_000), TimeSpan.FromMinutes(5))
        {
            WarmUp = TimeSpan.Zero,
            Rounds = 3,
        },
        // Live text: 1,000 executions at once, each writing 5 thoughts of 1,000 characters at 50 deltas a second (20
        // characters every 20 ms), with ?deltas=true; each round is paired with the same run without live text.
        new("deltas", ProfileKind.Deltas, Executions: 1_000, Concurrency: 1_000, Clients: 1, new Workload(1, 5, 0, 1_000, DeltaChars: 20, DeltaDelayMs: 20), TimeSpan.FromMinutes(5))
        {
            Deltas = true,
            WarmUp = TimeSpan.FromSeconds(60),
            Rounds = 2,
        },
        // For the test command: correctness only, a few seconds.
        new("smoke", ProfileKind.Stream, Executions: 6, Concurrency: 3, Clients: 2, new Workload(2, 3, 5, 50), TimeSpan.FromMinutes(1))
        {
            WarmUp = TimeSpan.Zero,
        },
    ];

    public static Profile? Find(string name) => All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
