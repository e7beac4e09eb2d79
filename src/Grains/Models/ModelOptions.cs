using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Grains.Models;

/// <summary>Configuration section <c>Model</c>: which language model runs the agent loop, and the loop's limits.</summary>
public sealed class ModelOptions : IValidatableObject
{
    public const string Section = "Model";
    public const string BuiltinProvider = "builtin";
    public const string OpenAIProvider = "openai";

    /// <summary><c>builtin</c> (offline, deterministic) or <c>openai</c> (any OpenAI-compatible endpoint).</summary>
    [Required] public string Provider { get; set; } = BuiltinProvider;

    /// <summary>openai: the API base URL, e.g. https://api.openai.com/v1 or http://localhost:11434/v1 (Ollama).</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1";

    /// <summary>openai: the API key (local servers accept any value). Set it as <c>Model__ApiKey</c>, not in a file.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The models a request may choose with <c>context.model</c>; the first is the default.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>Most model calls in one execution before it ends with <c>execution:error {code: iteration_limit}</c>.</summary>
    [Range(1, 1000)] public int MaxIterations { get; set; } = 30;

    /// <summary>Longest wall-clock run before <c>execution:error {code: time_limit}</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Default time limit of one tool call (a tool may set its own).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Streamed model text is emitted as a <c>thinking</c> event at a paragraph break, at the end of a turn, or at this many characters.</summary>
    [Range(80, 100_000)] public int MaxThoughtChars { get; set; } = 2_000;

    /// <summary>
    /// builtin: the pause between the pieces of text it streams (three words each), to watch text being written as a
    /// real model's would be; zero streams at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan BuiltinChunkDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Whether a request may ask for a load-test run with <c>context.workload</c> (a fixed, sized sequence of events
    /// instead of the model's; see <c>SyntheticWorkloadRunner</c>). Turn it off where nobody load-tests.
    /// </summary>
    public bool SyntheticWorkloads { get; set; } = true;

    /// <summary>The configured provider's models, its default first (a host may add more: <see cref="ModelCatalog"/>).</summary>
    public IReadOnlyList<string> ConfiguredModels => Models.Count > 0 ? Models : Provider == BuiltinProvider ? [BuiltinProvider] : [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider is not (BuiltinProvider or OpenAIProvider))
        {
            yield return new ValidationResult($"Model:Provider must be '{BuiltinProvider}' or '{OpenAIProvider}', not '{Provider}'.");
        }

        if (Provider == OpenAIProvider)
        {
            if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return new ValidationResult("Model:BaseUrl must be an absolute http(s) URL.");
            }

            if (Models.Count == 0 || Models.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult("Model:Models must name at least one model for the openai provider (e.g. Model__Models__0=gpt-4o-mini).");
            }
        }
    }
}
