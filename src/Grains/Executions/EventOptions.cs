using System.ComponentModel.DataAnnotations;

namespace Orleans.Agent.Grains.Executions;

/// <summary>Configuration section <c>Events</c>: how large a value may be and still travel inside its event.</summary>
public sealed class EventOptions
{
    public const string Section = "Events";

    /// <summary>
    /// A tool's params or result whose JSON is larger than this goes to an artifact, and its event carries a preview
    /// and a reference (<see cref="PayloadPolicy"/>).
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)] public int MaxInlineBytes { get; set; } = 8 * 1024;
}
