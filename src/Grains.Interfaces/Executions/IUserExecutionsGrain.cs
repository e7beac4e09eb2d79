namespace Orleans.Agent.Executions;

/// <summary>
/// The index of one user's executions, keyed by the user id (the token's <c>sub</c>). Execution grains keep it up
/// to date; it is the only way to list, since grains cannot be enumerated.
/// </summary>
public interface IUserExecutionsGrain : IGrainWithStringKey
{
    /// <summary>Adds or updates one execution's line.</summary>
    Task Record(ExecutionSummary summary);

    /// <summary>Up to <paramref name="limit"/> executions older than the <paramref name="cursor"/> execution id (or the newest), newest first.</summary>
    Task<ExecutionList> List(string? cursor, int limit);
}
