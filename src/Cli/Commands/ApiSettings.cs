using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Orleans.Agent.Cli.Commands;

/// <summary>Where the API is and who the caller is: options, else environment variables, else the laptop default.</summary>
public class ApiSettings : CommandSettings
{
    public const string ApiVariable = "ORLEANS_AGENT_API";
    public const string TokenVariable = "ORLEANS_AGENT_TOKEN";

    [CommandOption("--api <URL>")]
    [Description("The API's base URL (else $ORLEANS_AGENT_API, else http://localhost:5000).")]
    public string? Api { get; init; }

    [CommandOption("--token <JWT>")]
    [Description("A bearer token (else $ORLEANS_AGENT_TOKEN). In Development: orleans-agent token <user>.")]
    public string? Token { get; init; }

    public Uri ApiUrl => new(Api ?? Environment.GetEnvironmentVariable(ApiVariable) ?? "http://localhost:5000");

    public string? BearerToken => Token ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token ? token : null);

    public override ValidationResult Validate()
    {
        var url = Api ?? Environment.GetEnvironmentVariable(ApiVariable);
        return url is null || (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? ValidationResult.Success()
            : ValidationResult.Error($"The API URL '{url}' is not an absolute http or https URL.");
    }

    /// <summary>A client of the API; for commands that act as a user, only with a token.</summary>
    public AgentApiClient Client(bool signedIn = true) =>
        !signedIn ? new AgentApiClient(ApiUrl, null)
        : BearerToken is { } token ? new AgentApiClient(ApiUrl, token)
        : throw new AgentApiException($"No token: pass --token or set {TokenVariable} (in Development: export {TokenVariable}=$(orleans-agent token alice)).", 401);
}

/// <summary>A command that shows an execution: for a person, or <c>--json</c> for a script.</summary>
public class FollowSettings : ApiSettings
{
    [CommandOption("--json")]
    [Description("Print each event's JSON on a line of its own (NDJSON), exactly as the API sent it.")]
    public bool Json { get; init; }
}
