using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Orleans.Agent.Api.Http;
using Orleans.Agent.Api.OpenApi;

namespace Orleans.Agent.Api.Auth;

/// <summary><c>POST /api/dev/token</c>: a signed token for any user id, for trying the API locally. Development only.</summary>
public static partial class DevTokenEndpoint
{
    /// <summary>Long enough for a working day, short enough that a leaked dev token expires.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary><c>UserId</c> is required (non-null in the contract); a body without it reads as null and gets a 400 problem.</summary>
    public sealed record DevTokenRequest(string UserId);

    public sealed record DevTokenResponse(string Token, DateTimeOffset ExpiresAt);

    public static void MapDevTokenEndpoint(this WebApplication app)
    {
        // Not mapped at all elsewhere, so the path is a plain 404 in every other environment.
        if (app.Environment.IsDevelopment())
        {
            app.MapPost("/api/dev/token", IssueToken).AllowAnonymous()
                .WithName("issueDevToken").WithTags("Development").WithSummary("Development only: a signed token for any user id.")
                .AcceptsJson<DevTokenRequest>()
                .ProducesProblem(StatusCodes.Status404NotFound);
        }
    }

    private static async Task<Results<Ok<DevTokenResponse>, ProblemHttpResult>> IssueToken(
        HttpRequest request, JsonBody json, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        var (body, problem) = await json.Read<DevTokenRequest>(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.UserId) || !UserIdPattern().IsMatch(body.UserId))
        {
            return Problems.BadRequest("userId is required: 1 to 128 letters, digits, '.', '_', '-' or '@'.");
        }

        if (auth.Value.SigningCredentialsKey() is not { } key)
        {
            return TypedResults.Problem(
                "Dev tokens need Auth:SigningKey; with an Authority, get tokens from the identity provider.",
                statusCode: StatusCodes.Status404NotFound,
                title: "No dev tokens here.");
        }

        var expiresAt = DateTimeOffset.UtcNow.Add(Lifetime);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Value.Issuer ?? AuthOptions.DefaultIssuer,
            Audience = auth.Value.Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, body.UserId)]),
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
        return TypedResults.Ok(new DevTokenResponse(token, expiresAt));
    }

    [GeneratedRegex(@"^[A-Za-z0-9._@-]{1,128}$")]
    private static partial Regex UserIdPattern();
}
