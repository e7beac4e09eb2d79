using System.Diagnostics.Metrics;
using Orleans.Agent.Grains.Observability;

namespace Orleans.Agent.Api.Observability;

/// <summary>Requests refused by one of the <c>Limits:*</c> settings, counted by the setting's name and the status answered.</summary>
public sealed class LimitMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _rejected = meters.Create(AgentTelemetry.Name).CreateCounter<long>(
        "orleans_agent.limits.rejections", "{request}",
        "Requests refused by a limit: limit is the Limits:* setting (e.g. StreamsPerUser), http.response.status_code the answer (429, 413, 400).");

    public void Rejected(string limit, int statusCode) => _rejected.Add(1,
        new KeyValuePair<string, object?>("limit", limit), new KeyValuePair<string, object?>("http.response.status_code", statusCode));
}
