using System.Buffers.Binary;
using System.IO.Hashing;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.RNTuple.Format;

/// <summary>
/// The <c>ROOT::RNTuple</c> anchor of the ROOT file embedding (BinaryFormatSpecification.md, "Anchor schema"; class
/// version 2): a classic, big-endian TKey object — byte count and class version, then the format version and the
/// envelope links of header and footer and the maximum key size — followed by the XXH3-64 of everything after the
/// class version. Later class versions may only append fields before the checksum, which stays in the last 8 bytes.
/// </summary>
internal sealed record Anchor(ushort Epoch, ushort Major, ushort Minor, ushort Patch, long SeekHeader, long NbytesHeader, long LenHeader,
    long SeekFooter, long NbytesFooter, long LenFooter, long MaxKeySize)
{
    public const string ClassName = "ROOT::RNTuple";
    public const short ClassVersion = 2;

    /// <summary>Byte count, class version, four 16-bit versions, seven 64-bit fields, checksum.</summary>
    public const int Size = 4 + 2 + 4 * 2 + 7 * 8 + 8;

    /// <summary>The format version this library writes (and reads: epoch 1).</summary>
    public static readonly (ushort Epoch, ushort Major, ushort Minor, ushort Patch) WrittenVersion = (1, 0, 0, 0);

    /// <summary>Decodes and verifies the anchor object (the uncompressed bytes of its key).</summary>
    public static Anchor Parse(ReadOnlySpan<byte> data, string file, string structure, long offset)
    {
        if (data.Length < Size)
        {
            throw new RootFormatException(file, structure, offset, $"anchor of {data.Length} bytes is shorter than the {Size} bytes of class version {ClassVersion}");
        }
        ulong stored = BinaryPrimitives.ReadUInt64BigEndian(data[^8..]);
        ulong computed = XxHash3.HashToUInt64(data[6..^8]);
        if (stored != computed)
        {
            throw new RootFormatException(file, structure, offset,
                $"anchor checksum mismatch (stored xxhash3 0x{stored:x16}, computed 0x{computed:x16}): the anchor is corrupt");
        }
        var r = new BigEndianReader(data, file, structure, offset);
        uint byteCount = r.ReadUInt32();
        short version = r.ReadInt16();
        if ((byteCount & 0x40000000) == 0 || (byteCount & ~0x40000000u) + 4 > data.Length)
        {
            throw r.Error($"anchor byte count 0x{byteCount:x8} does not fit the {data.Length}-byte object");
        }
        if (version < ClassVersion)
        {
            throw new NotSupportedException($"not supported: RNTuple anchor class version {version} (a pre-release format; version {ClassVersion} is format 1.0)");
        }
        var anchor = new Anchor(r.ReadUInt16(), r.ReadUInt16(), r.ReadUInt16(), r.ReadUInt16(),
            r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());
        if (anchor.Epoch != WrittenVersion.Epoch)
        {
            throw new NotSupportedException($"not supported: RNTuple format epoch {anchor.Epoch} (this reader reads epoch {WrittenVersion.Epoch}, format 1.x)");
        }
        foreach ((string what, long seek, long nbytes, long length) in new[]
            { ("header", anchor.SeekHeader, anchor.NbytesHeader, anchor.LenHeader), ("footer", anchor.SeekFooter, anchor.NbytesFooter, anchor.LenFooter) })
        {
            if (seek < 0 || nbytes < 0 || length < Envelope.Overhead)
            {
                throw new RootFormatException(file, structure, offset, $"anchor gives the {what} at {seek} with {nbytes} bytes, {length} uncompressed: out of range");
            }
        }
        if (anchor.MaxKeySize < 0)
        {
            throw new RootFormatException(file, structure, offset, $"anchor's maximum key size {anchor.MaxKeySize} is negative");
        }
        return anchor;
    }

    /// <summary>The anchor object as ROOT streams it: byte count (without the checksum), class version 2, fields, checksum.</summary>
    public byte[] Serialize()
    {
        byte[] data = new byte[Size];
        Span<byte> s = data;
        BinaryPrimitives.WriteUInt32BigEndian(s, 0x40000000u | (uint)(Size - 4 - 8));
        BinaryPrimitives.WriteInt16BigEndian(s[4..], ClassVersion);
        BinaryPrimitives.WriteUInt16BigEndian(s[6..], Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(s[8..], Major);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], Minor);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], Patch);
        int at = 14;
        foreach (long v in new[] { SeekHeader, NbytesHeader, LenHeader, SeekFooter, NbytesFooter, LenFooter, MaxKeySize })
        {
            BinaryPrimitives.WriteInt64BigEndian(s[at..], v);
            at += 8;
        }
        BinaryPrimitives.WriteUInt64BigEndian(s[at..], XxHash3.HashToUInt64(s[6..at]));
        return data;
    }
}
