using System.Buffers.Binary;
using System.Text;

namespace EnergyRegression.Root.Writing;

/// <summary>A growable big-endian buffer for ROOT records, with the byte-count and version headers of TBufferFile.</summary>
internal sealed class BigEndianWriter
{
    private const uint ByteCountMask = 0x40000000;
    private byte[] _data;

    public BigEndianWriter(int capacity = 256) => _data = new byte[Math.Max(16, capacity)];

    public int Position { get; private set; }

    public ReadOnlySpan<byte> Written => _data.AsSpan(0, Position);

    private Span<byte> Take(int count)
    {
        if (Position + count > _data.Length)
        {
            Array.Resize(ref _data, Math.Max(Position + count, checked(_data.Length * 2)));
        }
        Span<byte> s = _data.AsSpan(Position, count);
        Position += count;
        return s;
    }

    /// <summary>Appends <paramref name="count"/> bytes for the caller to fill.</summary>
    public Span<byte> Reserve(int count) => Take(count);

    /// <summary>Empties the buffer, keeping its capacity.</summary>
    public void Reset() => Position = 0;

    public void WriteByte(byte v) => Take(1)[0] = v;

    public void WriteBool(bool v) => WriteByte(v ? (byte)1 : (byte)0);

    public void WriteInt16(short v) => BinaryPrimitives.WriteInt16BigEndian(Take(2), v);

    public void WriteInt32(int v) => BinaryPrimitives.WriteInt32BigEndian(Take(4), v);

    public void WriteUInt32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(Take(4), v);

    public void WriteInt64(long v) => BinaryPrimitives.WriteInt64BigEndian(Take(8), v);

    public void WriteFloat(float v) => BinaryPrimitives.WriteSingleBigEndian(Take(4), v);

    public void WriteDouble(double v) => BinaryPrimitives.WriteDoubleBigEndian(Take(8), v);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    /// <summary>Bytes <see cref="WriteTString"/> writes for <paramref name="s"/>.</summary>
    public static int TStringLength(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        return n + (n < 255 ? 1 : 5);
    }

    /// <summary>A TString: a length byte, or 255 and an int32 length for 255 bytes and more; then the UTF-8 bytes.</summary>
    public void WriteTString(string s)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        if (n < 255)
        {
            WriteByte((byte)n);
        }
        else
        {
            WriteByte(255);
            WriteInt32(n);
        }
        Encoding.UTF8.GetBytes(s, Take(n));
    }

    /// <summary>A NUL-terminated string (class names after kNewClassTag).</summary>
    public void WriteCString(string s)
    {
        Encoding.ASCII.GetBytes(s, Take(Encoding.ASCII.GetByteCount(s)));
        WriteByte(0);
    }

    public void PatchInt32(int at, int v) => BinaryPrimitives.WriteInt32BigEndian(_data.AsSpan(at, 4), v);

    /// <summary>Starts a versioned object (TBufferFile::WriteVersion with a byte count): returns the position to pass to <see cref="EndVersioned"/>.</summary>
    public int BeginVersioned(short version)
    {
        int at = Position;
        WriteUInt32(0);
        WriteInt16(version);
        return at;
    }

    /// <summary>Writes the byte count (bytes after the count itself, ORed with kByteCountMask) at <paramref name="at"/>.</summary>
    public void EndVersioned(int at) => PatchInt32(at, (int)((uint)(Position - at - 4) | ByteCountMask));
}
