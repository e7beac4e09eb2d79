using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

public static class AuthenticationExtensions
{
    /// <summary>An authenticated user with a <c>sub</c> claim: required by every agent endpoint.</summary>
    public const string OwnerPolicy = "owner";

    public static WebApplicationBuilder AddAgentAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                // Keep "sub" as "sub" instead of the long WS-Federation claim type names.
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OwnerPolicy, policy => policy.RequireAuthenticatedUser().RequireClaim(JwtRegisteredClaimNames.Sub));
        return builder;
    }

    /// <summary>The signing key as the token handler wants it.</summary>
    public static SymmetricSecurityKey SigningKey(this AuthOptions options) => new(Encoding.UTF8.GetBytes(options.SigningKey));

    private static TokenValidationParameters ValidationParameters(AuthOptions options) => new()
    {
        ValidIssuer = options.Issuer,
        ValidAudience = options.Audience,
        IssuerSigningKey = options.SigningKey(),
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
