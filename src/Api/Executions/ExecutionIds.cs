namespace Orleans.Agent.Api.Executions;

/// <summary>Execution ids are 32 lower-case hex digits (a version 7 GUID: unique, and ordered by creation time).</summary>
public static class ExecutionIds
{
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>True for a well-formed id; anything else cannot name an execution and is answered 404 without a grain call.</summary>
    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}
