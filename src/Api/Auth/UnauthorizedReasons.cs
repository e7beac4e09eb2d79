using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// Why a request was not authenticated, said in the 401 problem's <c>detail</c> (the WWW-Authenticate header says it
/// only in RFC 6750's codes): no token, expired, for another audience or issuer, a signature or algorithm this API
/// does not accept, or not a JWT at all. Nothing of the token is quoted back.
/// </summary>
public static class UnauthorizedReasons
{
    private const string ItemKey = "orleans-agent.unauthorized-reason";

    /// <summary>Remembers the reason when a scheme challenges; the problem details writer then uses it.</summary>
    public static Task OnChallenge(JwtBearerChallengeContext context)
    {
        context.HttpContext.Items[ItemKey] = Describe(context.AuthenticateFailure, context.Request);
        return Task.CompletedTask;
    }

    /// <summary>For <c>AddProblemDetails</c>: a 401 says why.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Status == StatusCodes.Status401Unauthorized && context.HttpContext.Items[ItemKey] is string reason)
        {
            context.ProblemDetails.Title = "Not authenticated.";
            context.ProblemDetails.Detail = reason;
        }
    }

    public static string Describe(Exception? failure, HttpRequest request) => failure switch
    {
        null => request.Headers.Authorization.Count == 0 && StreamTokens.FromQuery(request) is null
            ? "No token: send Authorization: Bearer <JWT>" + (StreamPrincipal.IsStreamRequest(request) ? " (or, for a stream, ?access_token=<stream token>)." : ".")
            : "The Authorization header does not carry a bearer token: send Authorization: Bearer <JWT>.",
        SecurityTokenExpiredException expired => $"The token expired at {expired.Expires:yyyy-MM-dd'T'HH:mm:ss'Z'}; get a new one.",
        SecurityTokenNotYetValidException => "The token is not valid yet (its nbf is in the future).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); this API accepts only tokens that expire.",
        SecurityTokenInvalidAudienceException => "The token is for another audience (aud) than this API's (Auth:Audience).",
        SecurityTokenInvalidIssuerException => "The token's issuer (iss) is not one this API trusts.",
        SecurityTokenInvalidAlgorithmException => "The token is signed with an algorithm this API does not accept.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The token's signature does not verify with this API's keys and algorithms (a bad signature, another issuer's key, or another algorithm).",
        SecurityTokenMalformedException or ArgumentException => "The token is not a well-formed JWT.",
        _ => "The token was refused.",
    };
}
