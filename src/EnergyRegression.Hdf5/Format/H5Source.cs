using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace EnergyRegression.Hdf5.Format;

/// <summary>
/// One HDF5 file's bytes, read with positional reads (thread-safe: chunks are decompressed in parallel),
/// and what every structure needs to decode its addresses: the base address (where the superblock was
/// found, after a user block) and the sizes of offsets and lengths (HDF5 File Format Specification 3.0,
/// section II.A "Superblock"). Addresses in the file are relative to the base address.
/// </summary>
internal sealed class H5Source : IDisposable
{
    private readonly SafeFileHandle? _handle;
    private readonly byte[]? _bytes;
    private readonly Dictionary<ulong, H5ObjectHeader> _headers = [];
    private readonly Dictionary<ulong, byte[]> _globalHeaps = [];
    private readonly Dictionary<ulong, List<H5Link>> _links = [];
    private readonly Lock _lock = new();

    public H5Source(string path)
    {
        Path = path;
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            Length = RandomAccess.GetLength(_handle);
            Superblock = H5Superblock.Read(this);
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    /// <summary>A file held in memory (the fuzz tests mutate files without writing them out).</summary>
    public H5Source(string path, byte[] bytes)
    {
        Path = path;
        _bytes = bytes;
        Length = bytes.Length;
        Superblock = H5Superblock.Read(this);
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>The file's size in bytes.</summary>
    public long Length { get; }

    public H5Superblock Superblock { get; }

    public int OffsetSize => Superblock.OffsetSize;

    public int LengthSize => Superblock.LengthSize;

    /// <summary>The all-ones address HDF5 writes for "not allocated".</summary>
    public bool IsUndefined(ulong address) => OffsetSize == 8 ? address == ulong.MaxValue : address == (1UL << (8 * OffsetSize)) - 1;

    /// <summary>An error about the structure <paramref name="what"/> of this file.</summary>
    public Hdf5FormatException Error(string what, string message) => new(Path, what, message);

    /// <summary>Fills <paramref name="destination"/> from file offset <paramref name="position"/> (absolute), checked against the file's end.</summary>
    public void ReadAbsolute(long position, Span<byte> destination, string what)
    {
        if (position < 0 || position > Length - destination.Length)
        {
            throw Error(what, $"It lies at bytes {position}–{position + destination.Length - 1}, beyond the end of the file ({Length} bytes): the file is truncated or damaged.");
        }
        if (_bytes is not null)
        {
            _bytes.AsSpan((int)position, destination.Length).CopyTo(destination);
            return;
        }
        long at = position;
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(_handle!, destination, at);
            if (n <= 0)
            {
                throw Error(what, $"The file ends early at byte {at}.");
            }
            destination = destination[n..];
            at += n;
        }
    }

    /// <summary>The absolute file position of <paramref name="address"/> (relative to the base address).</summary>
    public long Position(ulong address, string what)
    {
        if (IsUndefined(address) || address > (ulong)Length)
        {
            throw Error(what, $"Its address {Hex(address)} lies beyond the end of the file ({Length} bytes): the file is truncated or damaged.");
        }
        return Superblock.BaseAddress + (long)address;
    }

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public byte[] Read(ulong address, long length, string what)
    {
        if (length < 0 || length > int.MaxValue - 64)
        {
            throw Error(what, $"A length of {length} bytes is impossible: the file is damaged.");
        }
        long position = Position(address, what);
        if (position + length > Length)
        {
            throw Error(what, $"It lies at bytes {position}–{position + length - 1}, beyond the end of the file ({Length} bytes): the file is truncated or damaged.");
        }
        byte[] data = GC.AllocateUninitializedArray<byte>((int)length);
        ReadAbsolute(position, data, what);
        return data;
    }

    /// <summary>Reads up to <paramref name="length"/> bytes at <paramref name="address"/>, fewer at the end of the file.</summary>
    public byte[] ReadUpTo(ulong address, int length, string what)
    {
        long position = Position(address, what);
        int n = (int)Math.Min(length, Length - position);
        return Read(address, Math.Max(0, n), what);
    }

    /// <summary>A cursor over the structure at <paramref name="address"/>.</summary>
    public H5Cursor Cursor(ulong address, int length, string what) => new(this, ReadUpTo(address, length, what), what);

    /// <summary>The object header at <paramref name="address"/>, read once.</summary>
    public H5ObjectHeader ObjectHeader(ulong address)
    {
        lock (_lock)
        {
            if (_headers.TryGetValue(address, out H5ObjectHeader? known))
            {
                return known;
            }
        }
        H5ObjectHeader header = Checked($"object header at {Hex(address)}", () => H5ObjectHeader.Read(this, address));
        lock (_lock)
        {
            _headers[address] = header;
        }
        return header;
    }

    /// <summary>The links of the group whose object header is at <paramref name="address"/>, read once.</summary>
    public List<H5Link> Links(ulong address, string what)
    {
        lock (_lock)
        {
            if (_links.TryGetValue(address, out List<H5Link>? known))
            {
                return known;
            }
        }
        List<H5Link> links = Checked(what, () => H5Group.Links(this, ObjectHeader(address), what, address == Superblock.RootObjectHeader ? Superblock.RootSymbolTable : null));
        lock (_lock)
        {
            _links[address] = links;
        }
        return links;
    }

    /// <summary>
    /// An object of a global heap collection (spec III.E): the bytes of a variable-length value. The
    /// collection is read once.
    /// </summary>
    public ReadOnlySpan<byte> GlobalHeapObject(ulong collection, uint index, string what)
    {
        byte[]? heap;
        lock (_lock)
        {
            _globalHeaps.TryGetValue(collection, out heap);
        }
        if (heap is null)
        {
            string place = $"global heap at {Hex(collection)}";
            byte[] head = Read(collection, 8 + LengthSize, place);
            if (head[0] != 'G' || head[1] != 'C' || head[2] != 'O' || head[3] != 'L')
            {
                throw Error(place, "It has no GCOL signature: the file is damaged.");
            }
            ulong size = H5Cursor.ReadUnsigned(head.AsSpan(8), LengthSize);
            if (size < (ulong)head.Length || size > 1UL << 31)
            {
                throw Error(place, $"Its size {size} is impossible: the file is damaged.");
            }
            heap = Read(collection, (long)size, place);
            lock (_lock)
            {
                _globalHeaps[collection] = heap;
            }
        }
        int at = 8 + LengthSize;
        while (at + 8 + LengthSize <= heap.Length)
        {
            ushort id = BinaryPrimitives.ReadUInt16LittleEndian(heap.AsSpan(at));
            ulong size = H5Cursor.ReadUnsigned(heap.AsSpan(at + 8), LengthSize);
            int data = at + 8 + LengthSize;
            if (id == 0)
            {
                break; // free space: the rest of the collection
            }
            if (size > (ulong)(heap.Length - data))
            {
                throw Error(what, $"Object {id} of the global heap at {Hex(collection)} claims {size} bytes beyond the collection: the file is damaged.");
            }
            if (id == index)
            {
                return heap.AsSpan(data, (int)size);
            }
            at = data + (int)((size + 7) & ~7UL);
        }
        throw Error(what, $"The global heap at {Hex(collection)} has no object {index}: the file is damaged.");
    }

    /// <summary>Runs a parse; sizes that overflow or do not fit (damaged fields) become a format error naming the structure.</summary>
    public T Checked<T>(string what, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or IndexOutOfRangeException or InvalidCastException)
        {
            throw Error(what, $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.");
        }
    }

    public static string Hex(ulong address) => "0x" + address.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _handle?.Dispose();
}
