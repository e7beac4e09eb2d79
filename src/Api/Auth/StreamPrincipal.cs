using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// What a stream connection keeps of its caller: the <c>sub</c> claim and any <c>exec</c> scope, nothing else. A
/// stream lives for minutes or hours and its authentication result lives as long (the handler keeps it in the
/// request's scope), so a validated token's full principal (a dozen claims, each with its own property bag, and the
/// parsed <c>JsonWebToken</c> behind the identity) cost about 2.5 KiB per idle connection. Only these two are read.
/// </summary>
public static class StreamPrincipal
{
    /// <summary>The path of the stream route, the one place where principals are slimmed and stream tokens accepted.</summary>
    public const string PathPrefix = "/api/agent/stream";

    /// <summary>True for a request to the stream route.</summary>
    public static bool IsStreamRequest(HttpRequest request) => request.Path.StartsWithSegments(PathPrefix, StringComparison.Ordinal);

    /// <summary>A principal with only <paramref name="principal"/>'s <c>sub</c> and <c>exec</c> claims, still authenticated the same way.</summary>
    public static ClaimsPrincipal Slim(ClaimsPrincipal principal)
    {
        var kept = principal.Claims
            .Where(c => c.Type is JwtRegisteredClaimNames.Sub or StreamTokens.ExecutionClaim)
            .Select(c => new Claim(c.Type, c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(kept, principal.Identity?.AuthenticationType, JwtRegisteredClaimNames.Sub, null));
    }
}
