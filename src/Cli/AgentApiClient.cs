using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Orleans.Agent.Cli;

/// <summary>The API's HTTP calls, as the terminal client makes them: JSON in, JSON out, problems as <see cref="AgentApiException"/>.</summary>
public sealed class AgentApiClient : IDisposable
{
    private readonly HttpClient _http;

    public AgentApiClient(Uri baseAddress, string? token)
    {
        BaseAddress = baseAddress;
        // No overall timeout (a stream lasts as long as its execution); connecting is bounded, and each call below is too.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (token is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Uri BaseAddress { get; }

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public Task<JsonElement> Execute(string task, string? model, CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, "/api/agent/execute", model is null ? new { task } : new { task, context = new { model } }, cancellationToken);

    public Task<JsonElement> Cancel(string executionId, string? reason, CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, $"/api/agent/executions/{Uri.EscapeDataString(executionId)}/cancel", reason is null ? new { } : new { reason }, cancellationToken);

    public Task<JsonElement> Snapshot(string executionId, CancellationToken cancellationToken) =>
        Send(HttpMethod.Get, $"/api/agent/executions/{Uri.EscapeDataString(executionId)}", null, cancellationToken);

    public Task<JsonElement> List(int limit, string? cursor, CancellationToken cancellationToken) =>
        Send(HttpMethod.Get, $"/api/agent/executions?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null, cancellationToken);

    public Task<JsonElement> DevToken(string userId, CancellationToken cancellationToken) =>
        Send(HttpMethod.Post, "/api/dev/token", new { userId }, cancellationToken);

    /// <summary>
    /// Opens the execution's event stream after <paramref name="afterSequence"/>: the response (200 with events, or 204
    /// when the cursor is already the terminal event), or an <see cref="AgentApiException"/>.
    /// </summary>
    public async Task<HttpResponseMessage> OpenStream(string executionId, long afterSequence, bool deltas, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/agent/stream/{Uri.EscapeDataString(executionId)}" + (deltas ? "?deltas=true" : ""));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (afterSequence > 0)
        {
            request.Headers.Add("Last-Event-ID", afterSequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var response = await Call(() => _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await Problem(response, cancellationToken);
            }
        }

        return response;
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> Send(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        using var response = await Call(() => _http.SendAsync(request, timeout.Token), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await Problem(response, cancellationToken);
        }

        return response.StatusCode == HttpStatusCode.NoContent
            ? default
            : await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    /// <summary>A request that never got an answer becomes a status-0 problem that names the API, not a stack trace.</summary>
    private async Task<HttpResponseMessage> Call(Func<Task<HttpResponseMessage>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex)
        {
            throw new AgentApiException($"The API at {BaseAddress} cannot be reached ({ex.InnerException?.Message ?? ex.Message}).", 0);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentApiException($"The API at {BaseAddress} did not answer within {CallTimeout.TotalSeconds:0} s.", 0);
        }
    }

    private static async Task<AgentApiException> Problem(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? detail = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()
                : problem.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or HttpRequestException)
        {
            // Not a problem body (a proxy's page, or none): the status line says enough.
        }

        if (status == 401)
        {
            // The API's problem says why (expired, another audience, not a JWT...); say where the token comes from.
            detail = $"{detail ?? "The API refused the token."} Pass --token or set ORLEANS_AGENT_TOKEN.";
        }

        var retryAfter = response.Headers.RetryAfter?.Delta;
        return new AgentApiException(detail ?? $"HTTP {status} {response.ReasonPhrase}", status, retryAfter);
    }
}
