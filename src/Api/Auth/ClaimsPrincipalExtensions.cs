using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Orleans.Agent.Api.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>
    /// The token's <c>sub</c>: the user who owns what they start. The owner policy guarantees it is present on
    /// every endpoint under <c>/api/agent</c>.
    /// </summary>
    public static string GetUserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(JwtRegisteredClaimNames.Sub)
        ?? throw new InvalidOperationException("The owner policy should have required a 'sub' claim.");

    /// <summary>
    /// True when the caller came with a stream token for another execution: it opens the one it names (a bearer token
    /// names none, and is limited by ownership alone).
    /// </summary>
    public static bool IsScopedToOther(this ClaimsPrincipal user, string executionId) =>
        user.FindAll(StreamTokens.ExecutionClaim).Any(c => c.Value != executionId);
}
