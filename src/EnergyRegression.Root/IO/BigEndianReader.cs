using System.Buffers.Binary;
using System.Text;

namespace EnergyRegression.Root.IO;

/// <summary>
/// A bounds-checked big-endian cursor over a byte span (ROOT writes everything big-endian, see
/// io/doc/TFile/README.md). Every read and every length taken from the file is checked against what
/// remains; a violation is a <see cref="RootFormatException"/> naming the file, the structure and the offset.
/// </summary>
internal ref struct BigEndianReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private readonly long _fileOffset;
    private readonly bool _decompressed;

    /// <param name="data">The bytes to read.</param>
    /// <param name="file">File name for errors.</param>
    /// <param name="structure">Structure name for errors.</param>
    /// <param name="fileOffset">File offset of <paramref name="data"/>[0] (or of the record holding it).</param>
    /// <param name="displacement">Added to positions for ROOT's object-reference map (the key length for object records).</param>
    /// <param name="decompressed">True when the span is an uncompressed object, so positions are not file offsets.</param>
    public BigEndianReader(ReadOnlySpan<byte> data, string file, string structure, long fileOffset, int displacement = 0, bool decompressed = false)
    {
        _data = data;
        _file = file;
        Structure = structure;
        _fileOffset = fileOffset;
        Displacement = displacement;
        _decompressed = decompressed;
        Position = 0;
    }

    public string Structure { get; set; }

    public int Position { get; private set; }

    public readonly int Displacement { get; }

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - Position;

    public readonly string File => _file;

    /// <summary>The file offset to report for the current position.</summary>
    public readonly long ErrorOffset => _decompressed ? _fileOffset : _fileOffset + Position;

    public readonly RootFormatException Error(string message) =>
        new(_file, Structure, ErrorOffset, _decompressed ? $"{message} (at byte {Position} of the uncompressed object)" : message);

    public readonly void Require(long count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error($"{what} needs {count} bytes but only {Remaining} remain");
        }
    }

    /// <summary>Checks an element count read from the file: non-negative, at most <paramref name="max"/>, and its bytes present.</summary>
    public readonly int CheckCount(long count, int elementSize, string what, long max = int.MaxValue)
    {
        if (count < 0 || count > max)
        {
            throw Error($"{what} count {count} is out of range");
        }
        Require(count * elementSize, what);
        return (int)count;
    }

    public void Seek(int position)
    {
        if (position < 0 || position > _data.Length)
        {
            throw Error($"jump to {position} is outside the object (length {_data.Length})");
        }
        Position = position;
    }

    public void Skip(long count)
    {
        Require(count, "skip");
        Position += (int)count;
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        Require(count, "byte block");
        ReadOnlySpan<byte> s = _data.Slice(Position, count);
        Position += count;
        return s;
    }

    public readonly ReadOnlySpan<byte> Rest => _data[Position..];

    public byte ReadByte() => ReadBytes(1)[0];

    public sbyte ReadSByte() => (sbyte)ReadBytes(1)[0];

    public bool ReadBool() => ReadBytes(1)[0] != 0;

    public short ReadInt16() => BinaryPrimitives.ReadInt16BigEndian(ReadBytes(2));

    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(ReadBytes(4));

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4));

    public long ReadInt64() => BinaryPrimitives.ReadInt64BigEndian(ReadBytes(8));

    public double ReadDouble() => BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8));

    public readonly int PeekInt32()
    {
        Require(4, "int32");
        return BinaryPrimitives.ReadInt32BigEndian(_data.Slice(Position, 4));
    }

    public readonly byte PeekByte()
    {
        Require(1, "byte");
        return _data[Position];
    }

    /// <summary>TString: a length byte (255 → an int32 length follows) and that many bytes (layout per TBufferFile::ReadTString).</summary>
    public string ReadTString()
    {
        int n = ReadByte();
        if (n == 255)
        {
            n = ReadInt32();
        }
        CheckCount(n, 1, "TString");
        return Encoding.UTF8.GetString(ReadBytes(n));
    }

    /// <summary>A NUL-terminated class name (after kNewClassTag, per TBufferFile::ReadClass); at most 1024 bytes.</summary>
    public string ReadCString()
    {
        ReadOnlySpan<byte> rest = Rest;
        int end = rest[..Math.Min(rest.Length, 1024)].IndexOf((byte)0);
        if (end < 0)
        {
            throw Error("unterminated class name");
        }
        string s = Encoding.UTF8.GetString(rest[..end]);
        Position += end + 1;
        return s;
    }

    /// <summary>
    /// A versioned object header: an int32 byte count with kByteCountMask (0x40000000) set, then an int16
    /// version (per TBufferFile::ReadVersion). Returns the version and the position just past the object.
    /// Old objects without a byte count have only the version; then <paramref name="end"/> is -1.
    /// </summary>
    public short ReadVersion(out int end)
    {
        Require(4, "object header");
        uint first = BinaryPrimitives.ReadUInt32BigEndian(_data.Slice(Position, 4));
        if ((first & 0x40000000u) != 0)
        {
            Position += 4;
            long count = first & ~0x40000000u;
            if (count < 2 || count > Remaining)
            {
                throw Error($"object byte count {count} exceeds the {Remaining} bytes that remain");
            }
            end = Position + (int)count;
            return ReadInt16();
        }
        end = -1;
        return ReadInt16();
    }

    /// <summary>Jumps to the end of a versioned object read with <see cref="ReadVersion"/> (no-op when it had no byte count).</summary>
    public void SkipTo(int end)
    {
        if (end < 0)
        {
            return;
        }
        if (end < Position)
        {
            throw Error($"object content overruns its byte count (ends at {end}, read to {Position})");
        }
        Seek(end);
    }
}
