using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace Orleans.Agent.Grains.Hosting;

/// <summary>Reads options that are needed before the host is built (so the options pipeline cannot validate them).</summary>
public static class ConfigurationExtensions
{
    /// <summary>Binds <paramref name="section"/> to a new <typeparamref name="T"/> and validates its data annotations.</summary>
    /// <exception cref="ValidationException">With every invalid key named, so start-up fails with a clear message.</exception>
    public static T GetValidated<T>(this IConfiguration configuration, string section) where T : class, new()
    {
        var options = configuration.GetSection(section).Get<T>() ?? new T();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new ValidationException(
                $"Invalid configuration in section '{section}': " + string.Join(" ", results.Select(r => r.ErrorMessage)));
        }

        return options;
    }
}
