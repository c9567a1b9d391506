using System.Globalization;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;

namespace EnergyRegression.Hdf5;

/// <summary>
/// One dataset of an <see cref="Hdf5File"/>: its type, shape and storage, and reads of rows (ranges of
/// the first dimension) as raw bytes. Axis 0 is the entry (or object) axis; the other dimensions are the
/// shape of one row. Not thread-safe: one reader at a time.
/// </summary>
public sealed class Hdf5Dataset
{
    private readonly NativeDataset _dataset;
    private readonly RecentChunkCache? _cache;
    private readonly long? _contiguousOffset;

    internal Hdf5Dataset(Hdf5File file, string path, NativeDataset dataset)
    {
        File = file;
        Path = path;
        _dataset = dataset;
        Type = Hdf5Type.Of(dataset.Type);
        Dimensions = dataset.Space.Type == H5DataspaceType.Scalar ? [] : dataset.Space.Dimensions;
        IsScalar = dataset.Space.Type == H5DataspaceType.Scalar;
        Layout = dataset.Layout.Class switch
        {
            H5DataLayoutClass.Compact => "compact",
            H5DataLayoutClass.Contiguous => "contiguous",
            H5DataLayoutClass.Chunked => "chunked",
            H5DataLayoutClass.VirtualStorage => "virtual",
            _ => dataset.Layout.Class.ToString().ToLowerInvariant(),
        };
        if (dataset.Layout.Class == H5DataLayoutClass.Chunked)
        {
            // PureHDF reports the chunk dimensions of the dataset's rank (the element-size dimension dropped).
            Chunks = [.. dataset.Layout.Chunks.Take(Dimensions.Length)];
            // Keep every chunk across the row (the chunks that share a first-dimension index), twice over:
            // a row range then never decompresses a chunk twice, whatever order PureHDF visits them in.
            long across = 1;
            for (int d = 1; d < Dimensions.Length && d < Chunks.Length; d++)
            {
                across *= (long)Math.Max(1, (Dimensions[d] + Chunks[d] - 1) / Math.Max(1, Chunks[d]));
            }
            _cache = new RecentChunkCache((int)Math.Min(4096, 2 * across));
        }
        Filters = PureHdfInternals.FilterNames(dataset);
        _contiguousOffset = Filters.Count == 0 ? PureHdfInternals.ContiguousDataOffset(dataset) : null;
        long rowSize = 1;
        foreach (ulong d in Dimensions.Skip(1))
        {
            rowSize = checked(rowSize * (long)d);
        }
        RowShape = [.. Dimensions.Skip(1).Select(d => checked((int)d))];
        RowElements = rowSize;
        RowBytes = checked(rowSize * Type.Size);
    }

    /// <summary>The file.</summary>
    public Hdf5File File { get; }

    /// <summary>Absolute path in the file, e.g. <c>/events/run</c>.</summary>
    public string Path { get; }

    /// <summary>The element type.</summary>
    public Hdf5Type Type { get; }

    /// <summary>The dimensions; empty for a scalar dataspace.</summary>
    public ulong[] Dimensions { get; }

    /// <summary>True for a scalar dataspace (one value, no axis).</summary>
    public bool IsScalar { get; }

    /// <summary>The number of rows (first dimension); 1 for a scalar.</summary>
    public long Length => IsScalar ? 1 : Dimensions.Length == 0 ? 0 : checked((long)Dimensions[0]);

    /// <summary>The shape of one row (the dimensions after the first).</summary>
    public int[] RowShape { get; }

    /// <summary>Values in one row.</summary>
    public long RowElements { get; }

    /// <summary>Bytes of one row in the file's type.</summary>
    public long RowBytes { get; }

    /// <summary><c>contiguous</c>, <c>chunked</c>, <c>compact</c> or <c>virtual</c>.</summary>
    public string Layout { get; }

    /// <summary>The chunk dimensions of a chunked dataset; null otherwise.</summary>
    public ulong[]? Chunks { get; }

    /// <summary>The filter pipeline (e.g. shuffle, deflate); empty when none.</summary>
    public IReadOnlyList<string> Filters { get; }

    /// <summary>Rows per chunk along the first dimension (1 for unchunked datasets: any row range is aligned).</summary>
    public long ChunkRows => Chunks is { Length: > 0 } c ? (long)Math.Max(1UL, c[0]) : 1;

    /// <summary>Chunks decompressed so far by this object (for tests of the cache).</summary>
    internal long ChunksRead => _cache?.Misses ?? 0;

    /// <summary>The type and shape as text: <c>float32 [1000 × 32 × 32]</c>.</summary>
    public string Describe() =>
        $"{Type.Name} [{(IsScalar ? "scalar" : string.Join(" × ", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))))}]";

    /// <summary>
    /// Reads rows <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 as the
    /// file's raw bytes (<paramref name="count"/> × <see cref="RowBytes"/> of them) into <paramref name="destination"/>.
    /// Only the chunks (or the contiguous byte range) overlapping the rows are read.
    /// </summary>
    /// <exception cref="Hdf5FormatException">The rows cannot be read (damaged file, failing filter).</exception>
    public void ReadRows(long first, int count, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long bytes = checked(count * RowBytes);
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes, {bytes} needed.", nameof(destination));
        }
        if (first + count > Length)
        {
            throw new Hdf5FormatException(File.Path, $"dataset {Path}",
                $"Rows {first}–{first + count - 1} are beyond the dataset's {Length} rows.");
        }
        if (count == 0 || RowBytes == 0)
        {
            return;
        }
        if (_contiguousOffset is { } offset && !IsScalar)
        {
            File.ReadAt(checked(offset + (first * RowBytes)), destination[..checked((int)bytes)], $"dataset {Path}, rows {first}–{first + count - 1}");
            return;
        }
        Selection selection;
        if (IsScalar)
        {
            selection = new AllSelection();
        }
        else
        {
            ulong[] starts = new ulong[Dimensions.Length];
            ulong[] blocks = (ulong[])Dimensions.Clone();
            starts[0] = (ulong)first;
            blocks[0] = (ulong)count;
            selection = new HyperslabSelection(Dimensions.Length, starts, blocks);
        }
        try
        {
            _dataset.Read(new H5DatasetAccess(ChunkCache: _cache), destination[..checked((int)bytes)], selection);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not Hdf5FormatException)
        {
            throw new Hdf5FormatException(File.Path, $"dataset {Path}, rows {first}–{first + count - 1}", Hdf5File.Describe(ex), ex);
        }
    }
}
