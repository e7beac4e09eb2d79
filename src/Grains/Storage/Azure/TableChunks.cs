using Azure.Data.Tables;

namespace Orleans.Agent.Grains.Storage.Azure;

/// <summary>
/// Bytes kept in a table row as binary properties <c>D0</c>, <c>D1</c>... of at most 64 KiB each (the Table service's
/// limit per property), up to <see cref="MaxBytes"/> per row (a row holds at most 1 MiB in all).
/// </summary>
public static class TableChunks
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>What a row may hold in chunks, leaving room for its keys and other properties.</summary>
    public const int MaxBytes = 14 * ChunkBytes;

    public static void Write(TableEntity entity, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new ArgumentException($"{bytes.Length} bytes do not fit in a table row (at most {MaxBytes}).", nameof(bytes));
        }

        for (int offset = 0, i = 0; offset < bytes.Length; offset += ChunkBytes, i++)
        {
            entity["D" + i] = bytes.Slice(offset, Math.Min(ChunkBytes, bytes.Length - offset)).ToArray();
        }
    }

    public static byte[] Read(TableEntity entity)
    {
        var length = 0;
        var count = 0;
        while (entity.TryGetValue("D" + count, out var chunk) && chunk is byte[] bytes)
        {
            length += bytes.Length;
            count++;
        }

        var result = new byte[length];
        for (int i = 0, offset = 0; i < count; i++)
        {
            var bytes = (byte[])entity["D" + i];
            bytes.CopyTo(result, offset);
            offset += bytes.Length;
        }

        return result;
    }
}
