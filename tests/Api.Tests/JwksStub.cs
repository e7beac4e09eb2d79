using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Tests;

/// <summary>A minimal OpenID Connect issuer on loopback: a discovery document and a JWKS with one RSA key.</summary>
public sealed class JwksStub : IAsyncDisposable
{
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key-1" };
    private WebApplication _app = null!;

    public string Issuer { get; private set; } = "";

    public static async Task<JwksStub> Start()
    {
        var stub = new JwksStub();
        (stub._app, stub.Issuer) = await LoopbackHost.Start(app =>
        {
            app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = stub.Issuer,
                ["jwks_uri"] = stub.Issuer + "/jwks",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
            app.MapGet("/jwks", () =>
            {
                var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(stub._key.Rsa.ExportParameters(false)) { KeyId = stub._key.KeyId });
                return Results.Json(new { keys = new[] { new { kty = jwk.Kty, kid = jwk.Kid, use = "sig", alg = "RS256", n = jwk.N, e = jwk.E } } });
            });
        });
        return stub;
    }

    /// <summary>A token signed by this issuer's private key.</summary>
    public string Token(string userId, string audience = "orleans-agent") => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId)]),
        Expires = DateTime.UtcNow.AddMinutes(5),
        SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
    });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
