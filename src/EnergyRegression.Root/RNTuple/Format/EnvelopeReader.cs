using System.Buffers.Binary;
using System.Text;

namespace EnergyRegression.Root.RNTuple.Format;

/// <summary>
/// A bounds-checked little-endian cursor over an uncompressed RNTuple envelope (BinaryFormatSpecification.md,
/// "Basic Types" and "Frames"). Every read and every size taken from the envelope is checked against what
/// remains of the envelope and of the innermost open frame; a violation is a <see cref="RootFormatException"/>
/// naming the file, the envelope, its file offset and the byte within it.
/// </summary>
internal ref struct EnvelopeReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _file;
    private readonly long _fileOffset;
    private int _limit;

    public EnvelopeReader(ReadOnlySpan<byte> data, string file, string structure, long fileOffset)
    {
        _data = data;
        _file = file;
        _fileOffset = fileOffset;
        _limit = data.Length;
        Structure = structure;
    }

    public string Structure { get; set; }

    public int Position { get; private set; }

    /// <summary>Bytes left before the end of the innermost open frame (or of the envelope).</summary>
    public readonly int Remaining => _limit - Position;

    public readonly RootFormatException Error(string message) =>
        new(_file, Structure, _fileOffset, $"{message} (at byte {Position} of the uncompressed envelope)");

    private readonly void Require(long count, string what)
    {
        if (count < 0 || count > Remaining)
        {
            throw Error($"{what} needs {count} bytes but only {Remaining} remain in the {(_limit == _data.Length ? "envelope" : "frame")}");
        }
    }

    public ushort ReadUInt16(string what = "integer")
    {
        Require(2, what);
        ushort v = BinaryPrimitives.ReadUInt16LittleEndian(_data[Position..]);
        Position += 2;
        return v;
    }

    public uint ReadUInt32(string what = "integer")
    {
        Require(4, what);
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(_data[Position..]);
        Position += 4;
        return v;
    }

    public int ReadInt32(string what = "integer")
    {
        Require(4, what);
        int v = BinaryPrimitives.ReadInt32LittleEndian(_data[Position..]);
        Position += 4;
        return v;
    }

    public ulong ReadUInt64(string what = "integer")
    {
        Require(8, what);
        ulong v = BinaryPrimitives.ReadUInt64LittleEndian(_data[Position..]);
        Position += 8;
        return v;
    }

    public long ReadInt64(string what = "integer")
    {
        Require(8, what);
        long v = BinaryPrimitives.ReadInt64LittleEndian(_data[Position..]);
        Position += 8;
        return v;
    }

    public double ReadDouble(string what = "real")
    {
        Require(8, what);
        double v = BinaryPrimitives.ReadDoubleLittleEndian(_data[Position..]);
        Position += 8;
        return v;
    }

    /// <summary>Skips <paramref name="count"/> bytes of a structure this reader does not interpret.</summary>
    public void Skip(int count, string what)
    {
        Require(count, what);
        Position += count;
    }

    /// <summary>A string: 32-bit byte count, then UTF-8 bytes.</summary>
    public string ReadString(string what = "string")
    {
        uint length = ReadUInt32(what + " length");
        Require(length, what);
        string s = Encoding.UTF8.GetString(_data.Slice(Position, (int)length));
        Position += (int)length;
        return s;
    }

    /// <summary>
    /// Opens a record frame (positive size): returns the frame's end, to be passed to <see cref="EndFrame"/>;
    /// reads are limited to the frame until then.
    /// </summary>
    public Frame BeginRecord(string what)
    {
        int start = Position;
        long size = ReadInt64(what + " frame size");
        if (size < 0)
        {
            throw Error($"{what} is a list frame where a record frame is expected");
        }
        return Open(start, size, what);
    }

    /// <summary>Opens a list frame (negative size) and reads its number of items.</summary>
    public Frame BeginList(string what, out int count, int minItemSize)
    {
        int start = Position;
        long size = ReadInt64(what + " frame size");
        if (size >= 0)
        {
            throw Error($"{what} is a record frame where a list frame is expected");
        }
        Frame frame = Open(start, -size, what);
        uint n = ReadUInt32(what + " item count");
        if (n > (uint)Remaining / (uint)Math.Max(1, minItemSize))
        {
            throw Error($"{what} claims {n} items, more than its {Remaining} remaining bytes can hold");
        }
        count = (int)n;
        return frame;
    }

    private Frame Open(int start, long size, string what)
    {
        const int preamble = 8;
        if (size < preamble || size > _limit - start)
        {
            throw Error($"{what} frame size {size} is outside 8 to the {_limit - start} bytes that remain");
        }
        var frame = new Frame(start + (int)size, _limit);
        _limit = frame.End;
        return frame;
    }

    /// <summary>Leaves a frame: skips what this reader did not interpret (newer format versions append to frames).</summary>
    public void EndFrame(Frame frame)
    {
        if (Position > frame.End)
        {
            throw Error("frame contents run past the frame's size");
        }
        Position = frame.End;
        _limit = frame.OuterLimit;
    }

    /// <summary>An open frame: where it ends and what the limit was outside it.</summary>
    internal readonly record struct Frame(int End, int OuterLimit);
}
