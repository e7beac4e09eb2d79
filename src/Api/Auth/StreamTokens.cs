using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// Short-lived tokens that open one execution's stream and nothing else, for browsers (EventSource cannot send an
/// Authorization header). They carry their own audience, so the normal bearer scheme refuses them everywhere.
/// </summary>
public sealed class StreamTokens(IOptions<AuthOptions> options)
{
    public const string Scheme = "StreamToken";
    public const string Audience = "orleans-agent-stream";
    public const string ExecutionClaim = "exec";
    public const string QueryParameter = "access_token";

    private readonly Lazy<SymmetricSecurityKey> _key = new(() => new SymmetricSecurityKey(
        Encoding.UTF8.GetBytes(options.Value.StreamTokenKey ?? options.Value.SigningKey ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)))));

    public SymmetricSecurityKey Key => _key.Value;

    /// <summary>The stream token of a request to the stream route (<c>?access_token=</c>), or null: nowhere else is one accepted.</summary>
    public static string? FromQuery(HttpRequest request) =>
        StreamPrincipal.IsStreamRequest(request) && request.Query[QueryParameter].ToString() is { Length: > 0 } token ? token : null;

    public (string Token, DateTimeOffset ExpiresAt) Issue(string userId, string executionId)
    {
        var expiresAt = DateTimeOffset.UtcNow.Add(options.Value.StreamTokenLifetime);
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId), new Claim(ExecutionClaim, executionId)]),
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expiresAt);
    }

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = options.Value.ClockSkew,
    };

    private static string Issuer => "orleans-agent-stream-tokens";
}
