using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Auth;

/// <summary>
/// Configuration section <c>Auth</c>: how bearer tokens are validated, either against an OpenID Connect
/// <see cref="Authority"/> (discovery + JWKS, asymmetric algorithms only) or with a shared HS256
/// <see cref="SigningKey"/>; and how the short-lived, single-execution stream tokens are made.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    /// <summary>OpenID Connect issuer URL; its discovery document and JWKS supply the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>Refuse an http:// Authority (set false only for a local identity provider).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The issuer of HS256 tokens (and of dev tokens) when no <see cref="Issuer"/> is set.</summary>
    public const string DefaultIssuer = "orleans-agent";

    /// <summary>
    /// The required <c>iss</c> of every token. Without it: <see cref="DefaultIssuer"/> with a signing key, the
    /// discovery document's issuer with an Authority.
    /// </summary>
    public string? Issuer { get; set; }

    /// <summary>The required <c>aud</c> of every token.</summary>
    [Required] public string Audience { get; set; } = "orleans-agent";

    /// <summary>
    /// The HS256 key (at least 32 characters) when there is no Authority. Never in appsettings.json:
    /// appsettings.Development.json carries a development key; elsewhere set <c>Auth__SigningKey</c> from a secret store.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// HS256 key for stream tokens (at least 32 characters). Defaults to <see cref="SigningKey"/>; with an Authority
    /// and no key, a random per-process key is used, which is only right for a single API node.
    /// </summary>
    public string? StreamTokenKey { get; set; }

    /// <summary>How long a stream token opens its execution's stream.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan StreamTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a token that passed validation is accepted again without validating it (never past its <c>exp</c>);
    /// zero validates every request. See <see cref="CachingTokenHandler"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ValidatedTokenCacheTime { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Tolerated clock difference between the token issuer and this server.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && string.IsNullOrEmpty(SigningKey))
        {
            yield return new ValidationResult("Set Auth:Authority (OpenID Connect) or Auth:SigningKey (HS256, set Auth__SigningKey; at least 32 characters).");
        }

        if (!string.IsNullOrEmpty(SigningKey) && SigningKey.Length < 32)
        {
            yield return new ValidationResult("Auth:SigningKey must be at least 32 characters.");
        }

        if (!string.IsNullOrEmpty(StreamTokenKey) && StreamTokenKey.Length < 32)
        {
            yield return new ValidationResult("Auth:StreamTokenKey must be at least 32 characters.");
        }

        if (!string.IsNullOrWhiteSpace(Authority) && !Uri.TryCreate(Authority, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Auth:Authority must be an absolute URL.");
        }
    }
}
