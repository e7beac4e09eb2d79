using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Orleans.Agent.Api.Auth;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>
/// The two ways in: a bearer JWT (its subject owns executions) on every /api/agent route, and where a browser opens a
/// URL (the stream, a file) alternatively a stream token in <c>?access_token=</c>. Each operation names
/// the schemes its policy accepts.
/// </summary>
internal sealed class SecuritySchemes : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    public const string Bearer = "bearer";
    public const string StreamToken = "streamToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT whose subject (sub) is the user; in Development POST /api/dev/token issues one.",
        };
        document.Components.SecuritySchemes[StreamToken] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = StreamTokens.QueryParameter,
            Description = "A short-lived token from POST /api/agent/executions/{executionId}/stream-token that opens that " +
                "execution's stream and files (GET) only: for what a browser opens by URL (EventSource, a link, a frame).",
        };
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        if (policies.Count == 0)
        {
            return Task.CompletedTask;
        }

        var document = context.Document;
        operation.Security = [Requirement(Bearer, document)];
        if (policies.Contains(AuthenticationExtensions.StreamPolicy))
        {
            operation.Security.Add(Requirement(StreamToken, document));
        }

        operation.Responses ??= [];
        operation.Responses.TryAdd(
            StatusCodes.Status401Unauthorized.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ProblemResponses.Create("No valid token: missing, expired, for another audience, or with a bad signature.", document));
        return Task.CompletedTask;
    }

    private static OpenApiSecurityRequirement Requirement(string scheme, OpenApiDocument? document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
