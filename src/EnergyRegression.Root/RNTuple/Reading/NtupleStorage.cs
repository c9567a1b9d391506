using System.Buffers.Binary;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.IO;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>
/// The bytes of an RNTuple in a ROOT file: blobs by locator — split over several keys when larger than the anchor's
/// maximum key size (BinaryFormatSpecification.md, "Anchor schema"; chunk layout as ROOT's RMiniFile writes it: the
/// first chunk holds the payload's start and, in its last bytes, the little-endian offsets of the other chunks) —
/// and envelopes, decompressed with ROOT's compression blocks ("Compression Block").
/// </summary>
internal sealed class NtupleStorage(IByteSource source, string file, long maxKeySize)
{
    /// <summary>Largest envelope or page, uncompressed, this reader allocates for.</summary>
    public const int MaxBlobLength = RootFile.MaxObjectLength;

    public string File { get; } = file;

    public long FileLength => source.Length;

    /// <summary>Reads the <paramref name="locator"/>'s bytes.</summary>
    public byte[] ReadBlob(Locator locator, string structure)
    {
        CheckBlob(locator, 0, structure);
        byte[] data = new byte[locator.Size];
        ReadBlob(locator, data, 0, structure);
        return data;
    }

    /// <summary>Reads the <paramref name="locator"/>'s bytes and <paramref name="trailer"/> bytes after them (a page checksum) into <paramref name="destination"/>.</summary>
    public void ReadBlob(Locator locator, Span<byte> destination, int trailer, string structure)
    {
        CheckBlob(locator, trailer, structure);
        if (maxKeySize <= 0 || locator.Size <= maxKeySize)
        {
            source.Read(locator.Offset, destination[..(int)(locator.Size + trailer)], structure);
            return;
        }
        if (trailer > 0)
        {
            throw new RootFormatException(File, structure, locator.Offset, "a page larger than the maximum key size cannot carry a checksum after it");
        }
        ReadChunked(locator, destination[..(int)locator.Size], structure);
    }

    private void CheckBlob(Locator locator, int trailer, string structure)
    {
        if (locator.Size > MaxBlobLength || locator.Size + trailer > source.Length)
        {
            throw new RootFormatException(File, structure, locator.Offset, $"{locator.Size} bytes at offset {locator.Offset} do not fit the {source.Length}-byte file");
        }
    }

    private void ReadChunked(Locator locator, Span<byte> data, string structure)
    {
        // As ROOT's ComputeNumChunks: enough chunks of at most maxKeySize bytes for the payload and the chunk offsets.
        long nbytes = locator.Size;
        long chunks = (nbytes + maxKeySize - 1) / maxKeySize;
        long tail = nbytes % maxKeySize;
        long spare = tail > 0 ? maxKeySize - tail : 0;
        long offsetBytes = (chunks - 1) * 8;
        if (offsetBytes > spare)
        {
            chunks++;
            offsetBytes += 8;
        }
        if (offsetBytes > maxKeySize)
        {
            throw new RootFormatException(File, structure, locator.Offset, $"{nbytes} bytes need more chunk offsets than fit one key of {maxKeySize} bytes");
        }
        int first = (int)(maxKeySize - offsetBytes);
        byte[] head = new byte[maxKeySize];
        source.Read(locator.Offset, head, structure);
        head.AsSpan(0, first).CopyTo(data);
        int done = first;
        for (int c = 1; c < chunks; c++)
        {
            long at = BinaryPrimitives.ReadInt64LittleEndian(head.AsSpan(first + (c - 1) * 8));
            int size = (int)Math.Min(maxKeySize, data.Length - done);
            if (at < 0 || size <= 0)
            {
                throw new RootFormatException(File, structure, locator.Offset, $"chunk {c} of a split blob is at offset {at} with {size} bytes");
            }
            source.Read(at, data.Slice(done, size), structure);
            done += size;
        }
        if (done != data.Length)
        {
            throw new RootFormatException(File, structure, locator.Offset, $"the chunks of a split blob hold {done} of its {data.Length} bytes");
        }
    }

    /// <summary>Reads and decompresses an envelope to its <see cref="EnvelopeLink.Length"/> bytes.</summary>
    public byte[] ReadEnvelope(EnvelopeLink link, string structure)
    {
        if (link.Length > MaxBlobLength || link.Length < Envelope.Overhead)
        {
            throw new RootFormatException(File, structure, link.Locator.Offset, $"envelope length {link.Length} is outside 16 bytes to the reader's limit of {MaxBlobLength}");
        }
        byte[] stored = ReadBlob(link.Locator, structure);
        return Unzip(stored, (int)link.Length, structure, link.Locator.Offset);
    }

    /// <summary>Stored bytes as <paramref name="length"/> uncompressed bytes: as they are when the sizes agree, else ROOT compression blocks.</summary>
    public byte[] Unzip(byte[] stored, int length, string structure, long offset)
    {
        if (stored.Length == length)
        {
            return stored;
        }
        byte[] data = new byte[length];
        RootDecompressor.Decompress(stored, data, File, structure, offset);
        return data;
    }
}
