using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Reading;

/// <summary>
/// Reads element ranges of one physical column within a cluster. Elements are numbered from the cluster's first element
/// of the column ("cluster-local", as collection offsets count them). Only the pages overlapping a request are read;
/// each is checked against its XXH3-64 when it carries one, decompressed and decoded (in parallel when there are
/// several and enough bytes, as the TTree reader does with baskets), and the last decoded page is kept, so reading a
/// column in consecutive ranges decodes every page once. <paramref name="repetitions"/>: elements per entry of a
/// column outside collections (the product of the fixed-size arrays above it), which a deferred column needs.
/// </summary>
internal sealed class ColumnReader(NtupleDescriptor ntuple, ColumnDescriptor column, long repetitions)
{
    /// <summary>Below this many stored bytes a request's pages are loaded one after the other (benchmarks/README.md, "RNTuple reading").</summary>
    private const long ParallelLoadBytes = 1 << 20;

    private readonly Lock _cacheLock = new();
    private (int Cluster, int Page, DecodedPage Page2)? _last;
    private int _pagesLoaded;

    public ColumnDescriptor Column => column;

    /// <summary>How many pages this column has read and decoded (tests of the page cache).</summary>
    public int PagesLoaded => _pagesLoaded;

    /// <summary>The element type a column type decodes to (<see cref="PageDecoder"/>).</summary>
    public static Type CanonicalType(ColumnType type) => type switch
    {
        ColumnType.Bit => typeof(bool),
        ColumnType.Byte or ColumnType.UInt8 => typeof(byte),
        ColumnType.Char or ColumnType.Int8 => typeof(sbyte),
        ColumnType.Int16 or ColumnType.SplitInt16 => typeof(short),
        ColumnType.UInt16 or ColumnType.SplitUInt16 => typeof(ushort),
        ColumnType.Int32 or ColumnType.SplitInt32 => typeof(int),
        ColumnType.UInt32 or ColumnType.SplitUInt32 => typeof(uint),
        ColumnType.Int64 or ColumnType.SplitInt64 => typeof(long),
        ColumnType.UInt64 or ColumnType.SplitUInt64 => typeof(ulong),
        ColumnType.Real16 or ColumnType.SplitReal16 or ColumnType.Real32 or ColumnType.SplitReal32 or ColumnType.Real32Trunc => typeof(float),
        ColumnType.Real64 or ColumnType.SplitReal64 or ColumnType.Real32Quant => typeof(double),
        ColumnType.Index32 or ColumnType.Index64 or ColumnType.SplitIndex32 or ColumnType.SplitIndex64 => typeof(long),
        ColumnType.Switch => typeof(SwitchElement),
        _ => throw new NotSupportedException($"not supported: column type {ColumnTypes.Name(type)}"),
    };

    private string Structure(ClusterDescriptor cluster, string context) => $"{ntuple.Structure} {context}, column {column.PhysicalId}, cluster {cluster.Id}";

    /// <summary>Elements [<paramref name="first"/>, <paramref name="first"/> + <paramref name="count"/>) of the cluster, as the canonical array; <paramref name="context"/> (field, entries) goes into errors.</summary>
    public Array Read(ClusterDescriptor cluster, long first, long count, string context)
    {
        Type type = CanonicalType(column.Type);
        if (count < 0 || first < 0 || count > int.MaxValue)
        {
            throw new RootFormatException(ntuple.File, Structure(cluster, context), -1, $"element range {first} + {count} is out of range");
        }
        var result = Array.CreateInstance(type, count);
        if (count == 0)
        {
            return result;
        }
        ColumnPages pages = cluster.PagesOf(column.PhysicalId);
        bool absent = ReferenceEquals(pages, ColumnPages.Absent);
        long zeros = 0;
        long stored = pages.Suppressed ? 0 : pages.Elements;
        if (column.FirstElement > 0)
        {
            // A deferred column (added while writing) spans the whole cluster, as if it had always been there: its
            // stored pages hold the last elements and the ones before read as zeros (ROOT's reader, RNTupleDescriptor.cxx
            // AddExtendedColumnRanges, the behaviour the specification's "Column Description" asks for).
            long total = cluster.Entries * repetitions;
            if (stored > total)
            {
                throw new RootFormatException(ntuple.File, Structure(cluster, context), -1,
                    $"the deferred column stores {stored} elements in a cluster of {total}");
            }
            zeros = total - stored;
        }
        else if (pages.Suppressed && !absent)
        {
            throw new RootFormatException(ntuple.File, Structure(cluster, context), -1, "the column is suppressed in this cluster, yet its elements are read");
        }
        long end = first + count;
        if (end > zeros + stored)
        {
            throw new RootFormatException(ntuple.File, Structure(cluster, context), -1,
                $"elements {first} to {end - 1} are asked, but the column holds {zeros + stored} elements in this cluster");
        }
        var needed = new List<(int Page, long Start)>();
        long pageStart = zeros;
        for (int p = 0; p < pages.Pages.Length && pageStart < end; p++)
        {
            long pageEnd = pageStart + pages.Pages[p].Elements;
            if (pageEnd > first && pages.Pages[p].Elements > 0)
            {
                needed.Add((p, pageStart));
            }
            pageStart = pageEnd;
        }
        DecodedPage[] decoded = Load(cluster, pages, needed, context);
        try
        {
            for (int k = 0; k < needed.Count; k++)
            {
                (_, long start) = needed[k];
                long from = Math.Max(first, start);
                long to = Math.Min(end, start + decoded[k].Count);
                Array.Copy(decoded[k].Values, from - start, result, from - first, to - from);
            }
        }
        finally
        {
            foreach (DecodedPage page in decoded)
            {
                page.Release();
            }
        }
        return result;
    }

    /// <summary>A decoded page in a pooled array, shared by the cache and the reads that use it; back to the pool after the last.</summary>
    private sealed class DecodedPage(Array values, int count)
    {
        private int _users = 1;

        public Array Values { get; } = values;

        public int Count { get; } = count;

        public DecodedPage Share()
        {
            Interlocked.Increment(ref _users);
            return this;
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref _users) == 0)
            {
                PagePool.Return(Values);
            }
        }
    }

    private DecodedPage[] Load(ClusterDescriptor cluster, ColumnPages pages, List<(int Page, long Start)> needed, string context)
    {
        var result = new DecodedPage[needed.Count];
        long bytes = 0;
        int toLoad = 0;
        lock (_cacheLock)
        {
            for (int k = 0; k < needed.Count; k++)
            {
                if (_last is { } last && last.Cluster == cluster.Id && last.Page == needed[k].Page)
                {
                    result[k] = last.Page2.Share();
                }
                else
                {
                    bytes += pages.Pages[needed[k].Page].Locator.Size;
                    toLoad++;
                }
            }
        }
        void LoadOne(int k)
        {
            result[k] ??= LoadPage(cluster, pages, needed[k].Page, context);
        }
        try
        {
            if (toLoad <= 1 || bytes < ParallelLoadBytes)
            {
                for (int k = 0; k < needed.Count; k++)
                {
                    LoadOne(k);
                }
            }
            else
            {
                try
                {
                    Parallel.For(0, needed.Count, LoadOne);
                }
                catch (AggregateException e) when (e.InnerExceptions.Count > 0)
                {
                    ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                }
            }
        }
        catch
        {
            foreach (DecodedPage? page in result)
            {
                page?.Release();
            }
            throw;
        }
        if (needed.Count > 0)
        {
            lock (_cacheLock)
            {
                if (_last?.Page2 != result[^1])
                {
                    _last?.Page2.Release();
                    _last = (cluster.Id, needed[^1].Page, result[^1].Share());
                }
            }
        }
        return result;
    }

    /// <summary>Reads one page, checks its checksum, decompresses and decodes it.</summary>
    private DecodedPage LoadPage(ClusterDescriptor cluster, ColumnPages pages, int index, string context)
    {
        PageDescriptor page = pages.Pages[index];
        string structure = $"{Structure(cluster, context)}, page {index}";
        long length = ColumnTypes.PageBytes(page.Elements, column.BitsOnStorage);
        if (length > NtupleStorage.MaxBlobLength)
        {
            throw new RootFormatException(ntuple.File, structure, page.Locator.Offset, $"page of {page.Elements} elements ({length} bytes) exceeds the reader's limit");
        }
        // Pooled buffers for the stored and the uncompressed bytes: pages are large, and fresh arrays of that size each
        // time would keep the garbage collector busy with its large-object heap.
        int size = (int)page.Locator.Size;
        int trailer = page.HasChecksum ? 8 : 0;
        byte[] stored = ArrayPool<byte>.Shared.Rent(size + trailer);
        byte[]? unzipped = null;
        try
        {
            ntuple.Storage.ReadBlob(page.Locator, stored, trailer, structure);
            ReadOnlySpan<byte> data = stored.AsSpan(0, size);
            if (page.HasChecksum)
            {
                ulong expected = BinaryPrimitives.ReadUInt64LittleEndian(stored.AsSpan(size));
                ulong actual = XxHash3.HashToUInt64(data);
                if (expected != actual)
                {
                    throw new RootFormatException(ntuple.File, structure, page.Locator.Offset,
                        $"page checksum mismatch (stored xxhash3 0x{expected:x16}, computed 0x{actual:x16}): the page is corrupt");
                }
            }
            if (data.Length != length)
            {
                unzipped = ArrayPool<byte>.Shared.Rent((int)length);
                Compression.RootDecompressor.Decompress(data, unzipped.AsSpan(0, (int)length), ntuple.File, structure, page.Locator.Offset);
                data = unzipped.AsSpan(0, (int)length);
            }
            Interlocked.Increment(ref _pagesLoaded);
            return new DecodedPage(PageDecoder.Decode(column, data, page.Elements), page.Elements);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(stored);
            if (unzipped is not null)
            {
                ArrayPool<byte>.Shared.Return(unzipped);
            }
        }
    }
}
