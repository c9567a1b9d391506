using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Reading;

/// <summary>
/// One basket's uncompressed content: the data bytes (up to the border fLast − fKeylen) and, when stored,
/// the per-entry byte offsets. Reference counted: each holder (a read in progress, a branch's cache of its
/// last basket) disposes its share once, and the pooled buffers go back when the last share is disposed.
/// </summary>
internal sealed class BasketData : IDisposable
{
    private byte[]? _rented1;
    private byte[]? _rented2;
    private int _shares = 1;

    public required byte[] Buffer { get; init; }
    public required int Start { get; init; }
    public required int Length { get; init; }
    public int[]? Offsets { get; init; }
    public required long FirstEntry { get; init; }
    public required int Entries { get; init; }
    public required long FileOffset { get; init; }

    /// <summary>fKeylen: buffer positions ROOT records (class tags of object pointers) count from the start of the key.</summary>
    public int KeyLength { get; init; }

    public ReadOnlySpan<byte> Data => Buffer.AsSpan(Start, Length);

    public static BasketData FromEmbedded(EmbeddedBasket e, long first) => new()
    {
        Buffer = e.Data, Start = 0, Length = e.Data.Length, Offsets = e.Offsets, FirstEntry = first, Entries = e.Entries, FileOffset = -1, KeyLength = e.KeyLen,
    };

    /// <summary>
    /// Reads a free TBasket: its key (TKey header + fVersion, fBufferSize, fNevBufSize, fNevBuf, fLast, flag, per
    /// TBasket::Streamer), its compressed or stored payload, and the entry offsets stored after the data
    /// (an int32 count then fNevBuf + 1 int32 offsets counted from the key start; the last is replaced by the
    /// border — per uproot models/TBasket.py).
    /// </summary>
    public static BasketData Load(IByteSource source, string file, string branch, long seek, int nbytes, long first, int expectedEntries)
    {
        string structure = $"TBasket of branch {branch}";
        if (nbytes < KeyHeader.MinSize || nbytes > RootFile.MaxObjectLength)
        {
            throw new RootFormatException(file, structure, seek, $"fBasketBytes {nbytes} out of range");
        }
        if (seek < 0 || seek > source.Length - nbytes)
        {
            throw new RootFormatException(file, structure, seek,
                $"basket (fBasketSeek {seek}, fBasketBytes {nbytes}) lies outside the file ({source.Length} bytes): truncated file or bad seek pointer");
        }
        byte[] raw = ArrayPool<byte>.Shared.Rent(nbytes);
        byte[]? inflated = null;
        try
        {
            source.Read(seek, raw.AsSpan(0, nbytes), structure);
            var r = new BigEndianReader(raw.AsSpan(0, nbytes), file, structure, seek);
            var key = KeyHeader.Parse(ref r, seek, source.Length);
            if (key.Nbytes != nbytes)
            {
                throw r.Error($"basket key says fNbytes {key.Nbytes}, the branch says {nbytes}");
            }
            if (key.SeekKey != seek)
            {
                throw r.Error($"the basket's key says it is at fSeekKey {key.SeekKey}, it was read from fBasketSeek {seek}");
            }
            if (key.ClassName != "TBasket")
            {
                throw r.Error($"the key at fBasketSeek is a '{key.ClassName}' named '{key.Name}', not a TBasket");
            }
            r.ReadInt16(); // fVersion
            r.ReadInt32(); // fBufferSize
            r.ReadInt32(); // fNevBufSize
            int nevBuf = r.ReadInt32();
            int last = r.ReadInt32();
            r.ReadByte(); // flag
            if (r.Position > key.KeyLen)
            {
                throw r.Error($"fKeylen {key.KeyLen} is shorter than the basket header");
            }
            if (nevBuf != expectedEntries)
            {
                throw r.Error($"basket holds {nevBuf} entries, the branch's fBasketEntry says {expectedEntries}");
            }
            int objLen = key.ObjLen;
            if (objLen > RootFile.MaxObjectLength)
            {
                throw r.Error($"fObjlen {objLen} exceeds the reader's limit");
            }
            int border = last - key.KeyLen;
            if (border < 0 || border > objLen)
            {
                throw r.Error($"fLast {last} out of range (fKeylen {key.KeyLen}, fObjlen {objLen})");
            }
            byte[] data;
            int start;
            int stored = nbytes - key.KeyLen;
            if (stored == objLen)
            {
                data = raw;
                start = key.KeyLen;
            }
            else
            {
                RootDecompressor.ValidateBlocks(raw.AsSpan(key.KeyLen, stored), objLen, file, structure, seek + key.KeyLen);
                inflated = ArrayPool<byte>.Shared.Rent(objLen);
                RootDecompressor.Decompress(raw.AsSpan(key.KeyLen, stored), inflated.AsSpan(0, objLen), file, structure, seek + key.KeyLen);
                data = inflated;
                start = 0;
            }
            int[]? offsets = null;
            if (border < objLen)
            {
                var o = new BigEndianReader(data.AsSpan(start, objLen), file, $"entry offsets of {structure}", seek, 0, decompressed: true);
                o.Seek(border);
                int count = o.ReadInt32();
                if (count < nevBuf || count > (objLen - border - 4) / 4)
                {
                    throw o.Error($"entry offset count {count} does not fit {nevBuf} entries");
                }
                offsets = new int[nevBuf + 1];
                // One byte swap over the whole table, then the checks (ordered, within the data).
                Span<int> table = offsets.AsSpan(0, nevBuf);
                MemoryMarshal.Cast<byte, int>(o.ReadBytes(4 * nevBuf)).CopyTo(table);
                if (BitConverter.IsLittleEndian)
                {
                    BinaryPrimitives.ReverseEndianness(table, table);
                }
                int previous = 0;
                for (int i = 0; i < nevBuf; i++)
                {
                    long v = (long)table[i] - key.KeyLen;
                    if (v < previous || v > border)
                    {
                        throw o.Error($"entry offset {i} = {v} is out of order or past the data ({border} bytes)");
                    }
                    table[i] = (int)v;
                    previous = (int)v;
                }
                offsets[nevBuf] = border;
            }
            var result = new BasketData
            {
                Buffer = data, Start = start, Length = border, Offsets = offsets, FirstEntry = first, Entries = nevBuf, FileOffset = seek, KeyLength = key.KeyLen,
            };
            result._rented1 = raw;
            result._rented2 = inflated;
            raw = null!;
            inflated = null;
            return result;
        }
        finally
        {
            if (raw is not null)
            {
                ArrayPool<byte>.Shared.Return(raw);
            }
            if (inflated is not null)
            {
                ArrayPool<byte>.Shared.Return(inflated);
            }
        }
    }

    /// <summary>Another share of this basket, to be disposed by its new holder.</summary>
    public BasketData Share()
    {
        Interlocked.Increment(ref _shares);
        return this;
    }

    public void Dispose()
    {
        if (Interlocked.Decrement(ref _shares) != 0)
        {
            return;
        }
        if (_rented1 is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented1);
            _rented1 = null;
        }
        if (_rented2 is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented2);
            _rented2 = null;
        }
    }
}
