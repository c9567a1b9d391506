using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Writing;

/// <summary>
/// Builds an RNTuple envelope (BinaryFormatSpecification.md, "Envelopes", "Frames"): little-endian integers, strings
/// with a 32-bit length, record frames (positive size) and list frames (negative size, item count) whose sizes are
/// filled in when they close; <see cref="Finish"/> puts the type and length in the preamble and appends the XXH3-64.
/// The inverse of <see cref="EnvelopeReader"/>.
/// </summary>
internal sealed class EnvelopeWriter
{
    private byte[] _buffer = new byte[256];

    public EnvelopeWriter() => Length = 8; // the preamble, filled by Finish

    public int Length { get; private set; }

    private Span<byte> Take(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }
        Span<byte> span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }

    public void UInt16(ushort v) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), v);

    public void UInt32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), v);

    public void Int32(int v) => BinaryPrimitives.WriteInt32LittleEndian(Take(4), v);

    public void UInt64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Take(8), v);

    public void Int64(long v) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), v);

    public void Double(double v) => BinaryPrimitives.WriteDoubleLittleEndian(Take(8), v);

    public void String(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        UInt32((uint)bytes.Length);
        bytes.CopyTo(Take(bytes.Length));
    }

    /// <summary>A standard in-file locator: 32-bit size, 64-bit offset.</summary>
    public void Locator(Locator locator)
    {
        Int32(checked((int)locator.Size));
        Int64(locator.Offset);
    }

    /// <summary>An envelope link: uncompressed length, then the locator.</summary>
    public void Link(EnvelopeLink link)
    {
        UInt64((ulong)link.Length);
        Locator(link.Locator);
    }

    /// <summary>Opens a record frame; close it with <see cref="EndRecord"/>.</summary>
    public int BeginRecord()
    {
        int start = Length;
        Int64(0);
        return start;
    }

    public void EndRecord(int start) => BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(start), Length - start);

    /// <summary>Opens a list frame of <paramref name="count"/> items; close it with <see cref="EndList"/>.</summary>
    public int BeginList(int count)
    {
        int start = Length;
        Int64(0);
        UInt32((uint)count);
        return start;
    }

    public void EndList(int start) => BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(start), -(long)(Length - start));

    /// <summary>The envelope: preamble (type, length), payload, XXH3-64 of both.</summary>
    public byte[] Finish(ushort type)
    {
        int total = Length + 8;
        byte[] envelope = new byte[total];
        _buffer.AsSpan(0, Length).CopyTo(envelope);
        BinaryPrimitives.WriteUInt64LittleEndian(envelope, type | ((ulong)total << 16));
        BinaryPrimitives.WriteUInt64LittleEndian(envelope.AsSpan(Length), XxHash3.HashToUInt64(envelope.AsSpan(0, Length)));
        return envelope;
    }
}
