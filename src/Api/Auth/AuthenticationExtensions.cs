using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Orleans.Agent.Api.Auth;

public static class AuthenticationExtensions
{
    /// <summary>A bearer-authenticated user with a <c>sub</c> claim: required by every agent endpoint but the stream.</summary>
    public const string OwnerPolicy = "owner";

    /// <summary>
    /// What a browser opens by URL (the stream, a file): the owner policy, or a stream token (scoped to one execution,
    /// checked by each endpoint).
    /// </summary>
    public const string StreamPolicy = "stream";

    /// <summary>The default scheme: picks the one scheme that should judge a request (see <see cref="AddAgentAuthentication"/>).</summary>
    private const string SchemeSelector = "BearerOrStreamToken";

    /// <summary>Asymmetric only: with an Authority, an HS256 token signed with its public key must not pass.</summary>
    private static readonly string[] AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    public static WebApplicationBuilder AddAgentAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<StreamTokens>();

        // One handler per request: the selector forwards to the stream-token scheme for a stream request that brings
        // ?access_token=, and to the bearer scheme otherwise. Listing both schemes on the stream policy ran both
        // handlers on every stream and kept both, with their results, for the connection's life.
        builder.Services.AddAuthentication(SchemeSelector)
            .AddPolicyScheme(SchemeSelector, null, selector => selector.ForwardDefaultSelector = context =>
                StreamTokens.FromQuery(context.Request) is not null ? StreamTokens.Scheme : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddJwtBearer(StreamTokens.Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => ConfigureBearer(jwt, auth.Value));
        builder.Services.AddOptions<JwtBearerOptions>(StreamTokens.Scheme)
            .Configure<StreamTokens, IOptions<AuthOptions>>((jwt, tokens, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.SaveToken = false;
                UseCachingHandler(jwt, auth.Value);
                jwt.TokenValidationParameters = tokens.ValidationParameters;
                jwt.Events = new JwtBearerEvents
                {
                    // Only from the query string, and only where a browser needs it: the stream. Without this the
                    // handler would also read the Authorization header, where a stream token has no business.
                    OnMessageReceived = context =>
                    {
                        if (StreamTokens.FromQuery(context.Request) is { } token)
                        {
                            context.Token = token;
                        }
                        else
                        {
                            context.NoResult();
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = SlimStreamPrincipal,
                    OnChallenge = UnauthorizedReasons.OnChallenge,
                };
            });

        // The framework registers these as transients, so every request builds its own set, and a stream's
        // authorization frame keeps it for the stream's life (about 0.3 KiB per idle connection). They are stateless,
        // and our only authorization handler is the framework's pass-through one, so one set serves every request.
        // Registered before AddAuthorization, whose TryAdd then leaves them as they are.
        builder.Services.AddSingleton<IAuthorizationHandlerProvider, DefaultAuthorizationHandlerProvider>();
        builder.Services.AddSingleton<IAuthorizationService, DefaultAuthorizationService>();
        builder.Services.AddSingleton<IPolicyEvaluator, PolicyEvaluator>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OwnerPolicy, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(JwtRegisteredClaimNames.Sub))
            // No scheme listed: the authentication middleware's result (the default scheme, i.e. the selector) is used
            // as it is, instead of authenticating again and keeping a second ticket for the stream's life.
            .AddPolicy(StreamPolicy, policy => policy
                .RequireAuthenticatedUser()
                .RequireClaim(JwtRegisteredClaimNames.Sub));
        return builder;
    }

    /// <summary>On the stream route, the validated principal is replaced by <see cref="StreamPrincipal.Slim"/> before the handler keeps it.</summary>
    private static Task SlimStreamPrincipal(TokenValidatedContext context)
    {
        if (context.Principal is { } principal && StreamPrincipal.IsStreamRequest(context.Request))
        {
            context.Principal = StreamPrincipal.Slim(principal);
        }

        return Task.CompletedTask;
    }

    /// <summary>The HS256 signing key as the token handler wants it (null with an Authority).</summary>
    public static SymmetricSecurityKey? SigningCredentialsKey(this AuthOptions options) =>
        string.IsNullOrEmpty(options.SigningKey) ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey));

    /// <summary>One validated-token cache per scheme (see <see cref="CachingTokenHandler"/>).</summary>
    private static void UseCachingHandler(JwtBearerOptions jwt, AuthOptions options)
    {
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new CachingTokenHandler(options.ValidatedTokenCacheTime, TimeProvider.System));
    }

    private static void ConfigureBearer(JwtBearerOptions jwt, AuthOptions options)
    {
        // Keep "sub" as "sub" instead of the long WS-Federation claim type names.
        jwt.MapInboundClaims = false;
        // Nothing reads the raw token back from the authentication properties; a stream would hold it for its life.
        jwt.SaveToken = false;
        jwt.Events = new JwtBearerEvents { OnTokenValidated = SlimStreamPrincipal, OnChallenge = UnauthorizedReasons.OnChallenge };
        UseCachingHandler(jwt, options);
        var parameters = new TokenValidationParameters
        {
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = options.ClockSkew,
        };
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            jwt.Authority = options.Authority;
            jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            parameters.ValidAlgorithms = AuthorityAlgorithms;
            if (!string.IsNullOrEmpty(options.Issuer))
            {
                parameters.ValidIssuer = options.Issuer;
            }
        }
        else
        {
            parameters.ValidIssuer = options.Issuer ?? AuthOptions.DefaultIssuer;
            parameters.IssuerSigningKey = options.SigningCredentialsKey();
            parameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        jwt.TokenValidationParameters = parameters;
    }
}
