using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Api.Http;

/// <summary>Configuration section <c>Cors</c>: which browser origins may call the API from another site.</summary>
public sealed class CorsSettings : IValidatableObject
{
    public const string Section = "Cors";

    /// <summary>Exact origins (scheme://host[:port]); empty means same-origin only.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Let those origins send cookies/credentials. Never together with a wildcard.</summary>
    public bool AllowCredentials { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin == "*" ? AllowCredentials : !Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.AbsolutePath != "/")
            {
                yield return new ValidationResult($"Cors:AllowedOrigins entry '{origin}' must be scheme://host[:port] (or '*' without credentials).");
            }
        }
    }
}
