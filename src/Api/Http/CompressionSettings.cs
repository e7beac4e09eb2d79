using System.ComponentModel.DataAnnotations;
using System.IO.Compression;

namespace Orleans.Agent.Api.Http;

/// <summary>Configuration section <c>Compression</c>: Brotli or gzip for the clients that ask (Accept-Encoding).</summary>
public sealed class CompressionSettings : IValidatableObject
{
    public const string Section = "Compression";

    /// <summary>Compress REST answers (and the console's files) for clients that ask; off sends everything as written.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Compress event streams too. Off by default: a stream's compressor lives as long as its connection, 83 KiB
    /// (Brotli) to 235 KiB (gzip) per open stream against 17 KiB for the rest of it (docs/benchmarks.md, item 28).
    /// </summary>
    public bool Streams { get; set; }

    /// <summary>The compressors' level: <c>Fastest</c> or <c>Optimal</c> (more CPU per event for fewer bytes).</summary>
    public CompressionLevel Level { get; set; } = CompressionLevel.Fastest;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Streams && !Enabled)
        {
            yield return new ValidationResult("Compression:Streams=true needs Compression:Enabled=true.");
        }

        if (Level is not (CompressionLevel.Fastest or CompressionLevel.Optimal))
        {
            yield return new ValidationResult($"Compression:Level must be Fastest or Optimal, not {Level} (Enabled=false turns compression off).");
        }
    }
}
