using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Orleans.Agent.Api.Limits;
using Orleans.Agent.Api.Observability;
using Orleans.Agent.Serialization;

namespace Orleans.Agent.Api.Http;

/// <summary>
/// Reads a JSON request body ourselves instead of through parameter binding, so that every way a body can be
/// wrong gets a problem that says what is wrong (the binder answers a bare 400, or throws in Development).
/// </summary>
public sealed class JsonBody(IOptions<ApiLimitsOptions> limits, LimitMetrics rejections)
{
    private readonly JsonSerializerOptions _options = new(AgentJson.Options) { MaxDepth = limits.Value.MaxJsonDepth };

    public async Task<(T? Value, ProblemHttpResult? Problem)> Read<T>(
        HttpRequest request, CancellationToken cancellationToken, bool optional = false) where T : class
    {
        if (optional && request.ContentLength is 0 or null && request.Headers.TransferEncoding.Count == 0)
        {
            return (null, null);
        }

        if (!request.HasJsonContentType())
        {
            return (null, Problems.UnsupportedMediaType());
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, _options, cancellationToken);
            return value is null ? (null, Problems.BadRequest("The body must be a JSON object.")) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Problems.BadRequest($"The body is not valid JSON for this request: {ex.Message}"));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            rejections.Rejected(nameof(ApiLimitsOptions.MaxRequestBodyBytes));
            return (null, Problems.PayloadTooLarge(limits.Value.MaxRequestBodyBytes));
        }
    }
}
