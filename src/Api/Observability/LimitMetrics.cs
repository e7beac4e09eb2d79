using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Api.Observability;

/// <summary>
/// Requests refused by one of the <c>Limits:*</c> settings, counted by the setting's name and the status answered.
/// Observed, so every limit shows from the start (at 0) and a dashboard's rate is 0 rather than absent.
/// </summary>
public sealed class LimitMetrics
{
    /// <summary>Each limit a request can hit, with the status it is answered with.</summary>
    private static readonly (string Limit, int Status)[] Limits =
    [
        (nameof(ApiLimitsOptions.StreamsPerUser), StatusCodes.Status429TooManyRequests),
        (nameof(ApiLimitsOptions.StreamsPerProcess), StatusCodes.Status429TooManyRequests),
        (nameof(ApiLimitsOptions.ExecutionsPerMinutePerUser), StatusCodes.Status429TooManyRequests),
        (nameof(ApiLimitsOptions.MaxRequestBodyBytes), StatusCodes.Status413PayloadTooLarge),
        (nameof(ApiLimitsOptions.MaxTaskChars), StatusCodes.Status400BadRequest),
        (nameof(ApiLimitsOptions.MaxContextBytes), StatusCodes.Status400BadRequest),
    ];

    private readonly long[] _rejected = new long[Limits.Length];

    public LimitMetrics(IMeterFactory meters) => meters.Create(AgentTelemetry.Name).CreateObservableCounter(
        "orleans_agent.limits.rejections", Observe, "{request}",
        "Requests refused by a limit: limit is the Limits:* setting (e.g. StreamsPerUser), http.response.status_code the answer (429, 413, 400).");

    /// <param name="limit">The <see cref="ApiLimitsOptions"/> property's name.</param>
    public void Rejected(string limit) => Interlocked.Increment(ref _rejected[Array.FindIndex(Limits, l => l.Limit == limit)]);

    private IEnumerable<Measurement<long>> Observe()
    {
        for (var i = 0; i < Limits.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref _rejected[i]),
                new KeyValuePair<string, object?>("limit", Limits[i].Limit), new KeyValuePair<string, object?>("http.response.status_code", Limits[i].Status));
        }
    }
}
