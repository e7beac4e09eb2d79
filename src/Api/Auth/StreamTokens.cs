using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// Short-lived tokens that open what a browser has to open by URL for one execution, and nothing else: its stream
/// (EventSource cannot send an Authorization header) and the files it wrote (a link, a download, a preview frame),
/// read with GET. They carry their own audience, so the normal bearer scheme refuses them everywhere.
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

    /// <summary>The stream token of a request where one is accepted (<c>?access_token=</c>), or null.</summary>
    public static string? FromQuery(HttpRequest request) =>
        IsAcceptedAt(request) && request.Query[QueryParameter].ToString() is { Length: > 0 } token ? token : null;

    /// <summary>A GET of the stream or of a file the execution wrote: nowhere else is a stream token read.</summary>
    public static bool IsAcceptedAt(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method))
        {
            return false;
        }

        if (StreamPrincipal.IsStreamRequest(request))
        {
            return true;
        }

        // /api/agent/executions/{id}/files/{path}
        var segments = request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments is ["api", "agent", "executions", _, "files", _, ..];
    }

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
