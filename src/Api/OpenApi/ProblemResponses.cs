using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>RFC 9457 problem responses that every operation of a kind can give, added where the endpoints do not list them.</summary>
internal static class ProblemResponses
{
    public const string ContentType = "application/problem+json";

    /// <summary>A response whose body is a <c>ProblemDetails</c> (the component the framework registers for ProducesProblem).</summary>
    public static OpenApiResponse Create(string description, OpenApiDocument? document) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            [ContentType] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", document) },
        },
    };
}
