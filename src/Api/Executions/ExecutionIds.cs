using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Orleans.Agent.Api.Executions;

/// <summary>
/// Execution ids are 32 lower-case hex digits: a version 7 UUID (RFC 9562), unique and ordered by creation time, so
/// that a user's list (ordered by id) is newest first. <c>Guid.CreateVersion7</c> orders only by the millisecond and
/// leaves ids made within one in random order; here a 12-bit counter after the timestamp orders them too (RFC 9562,
/// section 6.2, method 1), so executions started one after another on a node are listed in the order they started.
/// </summary>
public static class ExecutionIds
{
    private const int MaxCounter = 0xFFF;

    private static readonly Lock Gate = new();
    private static long _lastMillisecond;
    private static int _counter;

    public static string New()
    {
        long millisecond;
        int counter;
        lock (Gate)
        {
            // Never behind the last id, even if the clock steps back; past 4,096 ids in a millisecond, borrow the next.
            millisecond = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), _lastMillisecond);
            _counter = millisecond == _lastMillisecond ? _counter + 1 : 0;
            if (_counter > MaxCounter)
            {
                millisecond++;
                _counter = 0;
            }

            _lastMillisecond = millisecond;
            counter = _counter;
        }

        Span<byte> uuid = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(uuid, (ulong)millisecond << 16 | 0x7000UL | (uint)counter); // 48-bit time, version 7, counter
        RandomNumberGenerator.Fill(uuid[8..]);
        uuid[8] = (byte)(uuid[8] & 0x3F | 0x80); // the RFC 9562 variant
        return Convert.ToHexStringLower(uuid);
    }

    /// <summary>True for a well-formed id; anything else cannot name an execution and is answered 404 without a grain call.</summary>
    public static bool IsValid(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);
}
