using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Auth;

/// <summary>Configuration section <c>Auth</c>: how bearer tokens (JWT, HS256) are validated.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The required <c>iss</c> of every token.</summary>
    [Required] public string Issuer { get; set; } = "orleans-agent";

    /// <summary>The required <c>aud</c> of every token.</summary>
    [Required] public string Audience { get; set; } = "orleans-agent";

    /// <summary>
    /// The HS256 key, at least 32 characters. Never in appsettings.json: appsettings.Development.json carries a
    /// development key; elsewhere set <c>Auth__SigningKey</c> from a secret store.
    /// </summary>
    [Required(ErrorMessage = "Auth:SigningKey is required (set Auth__SigningKey; at least 32 characters).")]
    [MinLength(32, ErrorMessage = "Auth:SigningKey must be at least 32 characters.")]
    public string SigningKey { get; set; } = "";
}
