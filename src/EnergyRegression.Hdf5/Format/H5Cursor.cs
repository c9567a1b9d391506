using System.Buffers.Binary;
using System.Text;

namespace EnergyRegression.Hdf5.Format;

/// <summary>
/// Reads the little-endian fields of one HDF5 structure held in memory. Every read is bounds-checked: a
/// structure that ends early is a <see cref="Hdf5FormatException"/> naming the structure, never an
/// IndexOutOfRangeException.
/// </summary>
internal sealed class H5Cursor(H5Source source, byte[] data, string what)
{
    public H5Source Source { get; } = source;

    public byte[] Data { get; } = data;

    public string What { get; } = what;

    public int Position { get; set; }

    public int Remaining => Data.Length - Position;

    public Hdf5FormatException Fail(string message) => Source.Error(What, message);

    public void Need(int n)
    {
        if (n < 0 || Position > Data.Length - n)
        {
            throw Fail($"It ends early (at byte {Position} of {Data.Length}, {n} more needed): the file is truncated or damaged.");
        }
    }

    public byte U8()
    {
        Need(1);
        return Data[Position++];
    }

    public ushort U16()
    {
        Need(2);
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(Data.AsSpan(Position));
        Position += 2;
        return v;
    }

    public uint U32()
    {
        Need(4);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(Data.AsSpan(Position));
        Position += 4;
        return v;
    }

    public ulong U64()
    {
        Need(8);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(Data.AsSpan(Position));
        Position += 8;
        return v;
    }

    /// <summary>An unsigned little-endian value of <paramref name="size"/> bytes (1–8).</summary>
    public ulong Unsigned(int size)
    {
        if (size is < 1 or > 8)
        {
            throw Fail($"A field of {size} bytes is impossible: the file is damaged.");
        }
        Need(size);
        ulong v = ReadUnsigned(Data.AsSpan(Position), size);
        Position += size;
        return v;
    }

    /// <summary>An address (size of offsets bytes).</summary>
    public ulong Offset() => Unsigned(Source.OffsetSize);

    /// <summary>A length (size of lengths bytes).</summary>
    public ulong Length() => Unsigned(Source.LengthSize);

    /// <summary>A length that must fit memory (and the structure).</summary>
    public int Count(ulong value, string name, long limit = int.MaxValue / 2)
    {
        if (value > (ulong)limit)
        {
            throw Fail($"Its {name} ({value}) is impossible: the file is damaged.");
        }
        return (int)value;
    }

    public ReadOnlySpan<byte> Bytes(int n)
    {
        Need(n);
        ReadOnlySpan<byte> span = Data.AsSpan(Position, n);
        Position += n;
        return span;
    }

    public void Skip(int n)
    {
        Need(n);
        Position += n;
    }

    /// <summary>A null-terminated string (UTF-8), the terminator consumed.</summary>
    public string CString()
    {
        int end = Array.IndexOf(Data, (byte)0, Position);
        if (end < 0)
        {
            throw Fail("A name has no terminating null byte: the file is damaged.");
        }
        string s = Encoding.UTF8.GetString(Data, Position, end - Position);
        Position = end + 1;
        return s;
    }

    /// <summary>Skips to the next multiple of <paramref name="alignment"/> bytes from <paramref name="origin"/>.</summary>
    public void Align(int alignment, int origin = 0)
    {
        int offset = (Position - origin) % alignment;
        if (offset != 0)
        {
            Skip(alignment - offset);
        }
    }

    /// <summary>Checks a 4-byte signature at the current position.</summary>
    public void Signature(string signature)
    {
        Need(4);
        for (int i = 0; i < 4; i++)
        {
            if (Data[Position + i] != signature[i])
            {
                throw Fail($"It has no {signature} signature (found {Printable(Data.AsSpan(Position, 4))}): the file is damaged or an address is wrong.");
            }
        }
        Position += 4;
    }

    /// <summary>
    /// Verifies the Jenkins lookup3 checksum HDF5 stores after the bytes [<paramref name="start"/>,
    /// current position) and consumes it (spec I.B, "Checksums").
    /// </summary>
    public void Checksum(int start = 0)
    {
        int end = Position;
        uint stored = U32();
        uint computed = Lookup3.Hash(Data.AsSpan(start, end - start));
        if (stored != computed)
        {
            throw Fail($"Its checksum does not match (stored 0x{stored:x8}, computed 0x{computed:x8}): the file is damaged.");
        }
    }

    public static ulong ReadUnsigned(ReadOnlySpan<byte> bytes, int size)
    {
        ulong v = 0;
        for (int i = size - 1; i >= 0; i--)
        {
            v = (v << 8) | bytes[i];
        }
        return v;
    }

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder();
        foreach (byte b in bytes)
        {
            sb.Append(b is >= 32 and < 127 ? (char)b : '.');
        }
        return "'" + sb + "'";
    }
}

/// <summary>
/// Bob Jenkins' lookup3 hash (hashlittle, initial value 0), the checksum of HDF5's version-2 metadata:
/// superblock v2/v3, object headers v2, B-trees v2, fractal heaps, fixed and extensible arrays, virtual
/// dataset mappings (spec I.B; the algorithm is Jenkins' public-domain lookup3.c, May 2006).
/// </summary>
internal static class Lookup3
{
    public static uint Hash(ReadOnlySpan<byte> key)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeefu + (uint)key.Length;
        while (key.Length > 12)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(key);
            b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
            Mix(ref a, ref b, ref c);
            key = key[12..];
        }
        if (key.Length == 0)
        {
            return c;
        }
        Span<byte> tail = stackalloc byte[12];
        tail.Clear();
        key.CopyTo(tail);
        a += BinaryPrimitives.ReadUInt32LittleEndian(tail);
        b += BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        c += BinaryPrimitives.ReadUInt32LittleEndian(tail[8..]);
        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }
}
