namespace Orleans.Agent.Events;

/// <summary>
/// Where a value too large to travel in its event is kept whole: <paramref name="Size"/> bytes of JSON whose SHA-256 is
/// <paramref name="Sha256"/> (lowercase hex), for its execution's owner at <paramref name="Url"/>. The event carries a
/// preview in its place (the same JSON with long strings cut).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ArtifactReference(
    [property: Id(0)] long Size,
    [property: Id(1)] string Sha256,
    [property: Id(2)] string Url)
{
    /// <summary>The API path of an execution's artifact.</summary>
    public static string PathFor(string executionId, string sha256) => $"/api/agent/executions/{executionId}/artifacts/{sha256}";
}
