using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Orleans.Agent.Api.OpenApi;

/// <summary>
/// Describes what a handler reads by hand (it parses query strings and bodies itself so that a bad value gets a
/// problem that says why): the parameters and JSON bodies go into the document through these.
/// </summary>
public static class OpenApiEndpointExtensions
{
    /// <summary>The problems a handler that reads a JSON body can answer with, besides its own.</summary>
    public static RouteHandlerBuilder AcceptsJson<TBody>(this RouteHandlerBuilder endpoint) where TBody : notnull =>
        endpoint.Accepts<TBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    public static RouteHandlerBuilder WithQueryParameter(
        this RouteHandlerBuilder endpoint, string name, string description, JsonSchemaType type, JsonNode? @default = null, string? minimum = null, string? maximum = null) =>
        endpoint.WithParameter(ParameterLocation.Query, name, description, new OpenApiSchema { Type = type, Default = @default, Minimum = minimum, Maximum = maximum });

    public static RouteHandlerBuilder WithHeaderParameter(this RouteHandlerBuilder endpoint, string name, string description) =>
        endpoint.WithParameter(ParameterLocation.Header, name, description, new OpenApiSchema { Type = JsonSchemaType.String });

    private static RouteHandlerBuilder WithParameter(
        this RouteHandlerBuilder endpoint, ParameterLocation location, string name, string description, OpenApiSchema schema) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter { Name = name, In = location, Description = description, Schema = schema });
            return Task.CompletedTask;
        });
}
