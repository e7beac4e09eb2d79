using System.Text.Json;

namespace Orleans.Agent.Bench;

/// <summary>What the generator reads of each event: its sequence, when the server stamped it, and whether it ends the run.</summary>
internal readonly record struct EventStamp(long Sequence, long TimestampTicks, bool IsTerminal)
{
    private static readonly string[] TerminalTypes = ["execution:complete", "execution:error", "execution:cancelled"];

    /// <summary>Reads the top-level <c>sequence</c> and <c>timestamp</c> of an SSE frame's data, and nothing more.</summary>
    public static EventStamp Parse(string eventType, ReadOnlySpan<byte> data)
    {
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
}
