using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Tests;

/// <summary>Tokens signed like a production identity provider would, for servers without the dev token endpoint.</summary>
internal static class TestTokens
{
    /// <summary>The development key of src/Api/appsettings.Development.json.</summary>
    public const string DevelopmentKey = "development-only-signing-key-change-me-0123456789abcdef";

    public static string Create(
        string userId,
        string signingKey,
        string issuer = "orleans-agent",
        string audience = "orleans-agent",
        string algorithm = SecurityAlgorithms.HmacSha256,
        DateTime? expires = null,
        IEnumerable<Claim>? extraClaims = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var expiry = expires ?? DateTime.UtcNow.AddMinutes(10);
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), .. extraClaims ?? []]),
            IssuedAt = expiry.AddMinutes(-20),
            NotBefore = expiry.AddMinutes(-20),
            Expires = expiry,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), algorithm),
        });
    }

    /// <summary>An unsigned token (<c>alg: none</c>) that claims to be <paramref name="userId"/>.</summary>
    public static string Unsigned(string userId)
    {
        static string Encode(string json) => Base64UrlEncoder.Encode(json);
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            Encode($"{{\"sub\":\"{userId}\",\"iss\":\"orleans-agent\",\"aud\":\"orleans-agent\",\"exp\":{exp}}}") + ".";
    }
}
