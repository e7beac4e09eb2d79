using System.Text.Json;

namespace Orleans.Agent.Bench;

/// <summary>
/// What the generator reads of each event: its sequence, when the server stamped it, and whether it ends the run. For a
/// <c>text:delta</c>: when the oldest piece in it was written (the workload starts each piece with <c>@</c> and the
/// Unix time in milliseconds).
/// </summary>
internal readonly record struct EventStamp(long Sequence, long TimestampTicks, bool IsTerminal, bool IsDelta = false)
{
    private static readonly string[] TerminalTypes = ["execution:complete", "execution:error", "execution:cancelled"];

    /// <summary>Reads the top-level <c>sequence</c> and <c>timestamp</c> of an SSE frame's data, and nothing more.</summary>
    public static EventStamp Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (eventType == "text:delta")
        {
            return new EventStamp(0, PieceWritten(data), IsTerminal: false, IsDelta: true);
        }

        var reader = new Utf8JsonReader(data);
        long sequence = 0, ticks = 0;
        while (reader.Read() && (sequence == 0 || ticks == 0))
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
            {
                if (reader.ValueTextEquals("sequence"u8) && reader.Read())
                {
                    sequence = reader.GetInt64();
                }
                else if (reader.ValueTextEquals("timestamp"u8) && reader.Read())
                {
                    ticks = reader.GetDateTimeOffset().UtcTicks;
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return new EventStamp(sequence, ticks, Array.IndexOf(TerminalTypes, eventType) >= 0);
    }

    /// <summary>The first <c>@</c> stamp in the delta's text, as UTC ticks (0 when the piece was cut before its stamp).</summary>
    private static long PieceWritten(ReadOnlySpan<byte> data)
    {
        var at = data.IndexOf("\"text\":\""u8);
        var stamp = at < 0 ? -1 : data[at..].IndexOf((byte)'@');
        if (stamp < 0 || !System.Buffers.Text.Utf8Parser.TryParse(data.Slice(at + stamp + 1), out long ms, out var digits) || digits != 13)
        {
            return 0;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcTicks;
    }
}
