using Microsoft.Win32.SafeHandles;

namespace EnergyRegression.Root.IO;

/// <summary>Random access to the bytes of a ROOT file. Implementations are thread-safe.</summary>
internal interface IByteSource : IDisposable
{
    string Name { get; }

    long Length { get; }

    /// <summary>Fills <paramref name="destination"/> from <paramref name="offset"/>; throws <see cref="RootFormatException"/> past the end.</summary>
    void Read(long offset, Span<byte> destination, string structure);
}

/// <summary>A file read with positional reads (RandomAccess.Read on a SafeFileHandle): no shared cursor, no whole-file load.</summary>
internal sealed class FileByteSource : IByteSource
{
    private readonly SafeFileHandle _handle;

    public FileByteSource(string path)
    {
        Name = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        Length = RandomAccess.GetLength(_handle);
    }

    public string Name { get; }

    public long Length { get; }

    public void Read(long offset, Span<byte> destination, string structure)
    {
        ByteSourceChecks.CheckRange(this, offset, destination.Length, structure);
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(_handle, destination, offset);
            if (n <= 0)
            {
                throw new RootFormatException(Name, structure, offset, "unexpected end of file");
            }
            destination = destination[n..];
            offset += n;
        }
    }

    public void Dispose() => _handle.Dispose();
}

/// <summary>An in-memory file image (tests, and callers that already hold the bytes).</summary>
internal sealed class MemoryByteSource(string name, byte[] data) : IByteSource
{
    public string Name { get; } = name;

    public long Length => data.Length;

    public void Read(long offset, Span<byte> destination, string structure)
    {
        ByteSourceChecks.CheckRange(this, offset, destination.Length, structure);
        data.AsSpan((int)offset, destination.Length).CopyTo(destination);
    }

    public void Dispose() { }
}

internal static class ByteSourceChecks
{
    public static void CheckRange(IByteSource source, long offset, int count, string structure)
    {
        if (offset < 0 || count < 0 || offset > source.Length || count > source.Length - offset)
        {
            throw new RootFormatException(source.Name, structure, offset,
                $"{count} bytes at offset {offset} lie outside the file ({source.Length} bytes): truncated file or bad seek pointer");
        }
    }
}
