using System.Globalization;
using EnergyRegression.Hdf5.Filters;
using EnergyRegression.Hdf5.Format;

namespace EnergyRegression.Hdf5;

/// <summary>
/// One dataset of an <see cref="Hdf5File"/>: its type, shape and storage, and reads of rows (ranges of the
/// first dimension) as raw bytes. Axis 0 is the entry (or object) axis; the other dimensions are the shape
/// of one row. Storage: contiguous (one positional read), compact, external raw files, chunked with any
/// chunk index and filter pipeline (chunks decompressed in parallel and kept across reads), virtual
/// (mappings onto source datasets). Not thread-safe: one reader at a time.
/// </summary>
public sealed class Hdf5Dataset
{
    private readonly H5Source _source;
    private readonly H5Layout _layout;
    private readonly H5FilterInfo[] _pipeline;
    private readonly byte[]? _fill;
    private readonly H5ExternalFile[] _external;
    private readonly string _what;
    private readonly ChunkCache? _cache;
    private Dictionary<ulong, H5Chunk>? _chunks;
    private List<VirtualMapping>? _mappings;

    /// <summary>Opens a dataset; sizes that overflow (damaged dimensions) are a format error.</summary>
    internal static Hdf5Dataset Create(Hdf5File file, H5Source source, string path, H5ObjectHeader header)
    {
        try
        {
            return new Hdf5Dataset(file, source, path, header);
        }
        catch (OverflowException ex)
        {
            throw new Hdf5FormatException(source.Path, $"dataset {path}", $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.", ex);
        }
    }

    private Hdf5Dataset(Hdf5File file, H5Source source, string path, H5ObjectHeader header)
    {
        File = file;
        Path = path;
        _source = source;
        _what = $"dataset {path}";
        H5Message typeMessage = header.First(H5MessageType.Datatype) ?? throw source.Error(_what, "It has no datatype message: the file is damaged.");
        H5Message spaceMessage = header.First(H5MessageType.Dataspace) ?? throw source.Error(_what, "It has no dataspace message: the file is damaged.");
        H5Message layoutMessage = header.First(H5MessageType.Layout) ?? throw source.Error(_what, "It has no layout message: the file is damaged.");
        Type = Hdf5Type.Of(H5Datatype.FromMessage(source, typeMessage, _what));
        H5Dataspace space = spaceMessage.IsShared
            ? H5Dataspace.Parse(new H5Cursor(source, source.ObjectHeader(H5Datatype.SharedAddress(source, spaceMessage.Body, _what)).First(H5MessageType.Dataspace)!.Body, _what))
            : H5Dataspace.Parse(new H5Cursor(source, spaceMessage.Body, _what));
        IsScalar = space.IsScalar;
        IsNull = space.IsNull;
        Dimensions = space.Dimensions;
        if (Dimensions.Any(d => d > 1UL << 48))
        {
            throw source.Error(_what, $"Dimensions {string.Join(" × ", Dimensions)} are impossible: the file is damaged.");
        }
        MaxDimensions = space.MaxDimensions ?? space.Dimensions;
        _layout = H5Layout.Parse(new H5Cursor(source, layoutMessage.Body, _what));
        _pipeline = header.First(H5MessageType.FilterPipeline) is { } filters ? H5FilterPipeline.Parse(new H5Cursor(source, filters.Body, _what)) : [];
        H5Message? fillMessage = header.First(H5MessageType.FillValue);
        _fill = fillMessage is not null ? H5FillValue.Parse(new H5Cursor(source, fillMessage.Body, _what), old: false)
            : header.First(H5MessageType.FillValueOld) is { } old ? H5FillValue.Parse(new H5Cursor(source, old.Body, _what), old: true) : null;
        if (_fill is not null && _fill.Length != Type.Size)
        {
            _fill = null;
        }
        _external = header.First(H5MessageType.ExternalFiles) is { } ext ? H5ExternalFile.Parse(source, ext.Body, _what) : [];
        Layout = _external.Length > 0 ? "external" : _layout.Class switch
        {
            H5LayoutClass.Compact => "compact",
            H5LayoutClass.Contiguous => "contiguous",
            H5LayoutClass.Chunked => "chunked",
            _ => "virtual",
        };
        if (_layout.Class == H5LayoutClass.Chunked)
        {
            if (_layout.ChunkDimensions.Length != Dimensions.Length)
            {
                throw source.Error(_what, $"Its chunks have {_layout.ChunkDimensions.Length} dimensions, the dataset {Dimensions.Length}: the file is damaged.");
            }
            Chunks = _layout.ChunkDimensions;
            // Keep every chunk across a row of chunks, twice over: consecutive row ranges then decompress each chunk once.
            long across = 1;
            for (int d = 1; d < Dimensions.Length; d++)
            {
                across *= (long)Math.Max(1, (Dimensions[d] + Chunks[d] - 1) / Chunks[d]);
            }
            _cache = new ChunkCache((int)Math.Clamp(2 * across, 4, 4096));
        }
        Filters = [.. _pipeline.Select(H5Filters.Name)];
        UnsupportedFilter = H5Filters.Unsupported(_pipeline);
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

    /// <summary>The dimensions; empty for a scalar or null dataspace.</summary>
    public ulong[] Dimensions { get; }

    /// <summary>The maximum dimensions (unlimited: <see cref="ulong.MaxValue"/>).</summary>
    public ulong[] MaxDimensions { get; }

    /// <summary>True for a scalar dataspace (one value, no axis).</summary>
    public bool IsScalar { get; }

    /// <summary>True for a null dataspace (no value at all, h5py's <c>h5py.Empty</c>).</summary>
    public bool IsNull { get; }

    /// <summary>The number of rows (first dimension); 1 for a scalar, 0 for a null dataspace.</summary>
    public long Length => IsNull ? 0 : IsScalar ? 1 : Dimensions.Length == 0 ? 0 : checked((long)Dimensions[0]);

    /// <summary>The shape of one row (the dimensions after the first).</summary>
    public int[] RowShape { get; }

    /// <summary>Values in one row.</summary>
    public long RowElements { get; }

    /// <summary>Bytes of one row in the file's type.</summary>
    public long RowBytes { get; }

    /// <summary><c>contiguous</c>, <c>chunked</c>, <c>compact</c>, <c>external</c> or <c>virtual</c>.</summary>
    public string Layout { get; }

    /// <summary>The chunk dimensions of a chunked dataset; null otherwise.</summary>
    public ulong[]? Chunks { get; }

    /// <summary>The filter pipeline (e.g. shuffle, deflate); empty when none.</summary>
    public IReadOnlyList<string> Filters { get; }

    /// <summary>Why the dataset's filters cannot be decoded (the filter's ID and name), or null.</summary>
    public string? UnsupportedFilter { get; }

    /// <summary>Rows per chunk along the first dimension (1 for unchunked datasets: any row range is aligned).</summary>
    public long ChunkRows => Chunks is { Length: > 0 } c ? (long)Math.Max(1UL, c[0]) : 1;

    /// <summary>Chunks decompressed so far by this object (for tests of the cache).</summary>
    internal long ChunksRead => _cache?.Misses ?? 0;

    /// <summary>The type and shape as text: <c>float32 [1000 × 32 × 32]</c>.</summary>
    public string Describe() =>
        $"{Type.Name} [{(IsNull ? "null" : IsScalar ? "scalar" : string.Join(" × ", Dimensions.Select(d => d.ToString(CultureInfo.InvariantCulture))))}]";

    /// <summary>
    /// Reads rows <paramref name="first"/> … <paramref name="first"/> + <paramref name="count"/> − 1 as the
    /// file's raw bytes (<paramref name="count"/> × <see cref="RowBytes"/> of them) into <paramref name="destination"/>.
    /// Only the chunks (or the contiguous byte range) overlapping the rows are read.
    /// </summary>
    /// <exception cref="Hdf5FormatException">The rows cannot be read (damaged file, failing filter, unsupported storage).</exception>
    public void ReadRows(long first, int count, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (RowBytes > 0 && count > int.MaxValue / RowBytes)
        {
            throw new Hdf5FormatException(File.Path, _what, $"Rows {first}–{first + count - 1} of {RowBytes} bytes each do not fit one read.");
        }
        long bytes = count * RowBytes;
        if (destination.Length < bytes)
        {
            throw new ArgumentException($"Destination has {destination.Length} bytes, {bytes} needed.", nameof(destination));
        }
        if (first + count > Length)
        {
            throw new Hdf5FormatException(File.Path, _what, $"Rows {first}–{first + count - 1} are beyond the dataset's {Length} rows.");
        }
        if (count == 0 || RowBytes == 0)
        {
            return;
        }
        string place = $"{_what}, rows {first}–{first + count - 1}";
        if (UnsupportedFilter is not null)
        {
            throw new Hdf5FormatException(_source.Path, place, $"It cannot be read: {UnsupportedFilter}.");
        }
        if (IsScalar)
        {
            ReadBlock([], [], destination[..(int)bytes], place);
            return;
        }
        ulong[] start = new ulong[Dimensions.Length];
        ulong[] size = (ulong[])Dimensions.Clone();
        start[0] = (ulong)first;
        size[0] = (ulong)count;
        ReadBlock(start, size, destination[..checked((int)bytes)], place);
    }

    /// <summary>Reads the box [start, start + size) in row-major order.</summary>
    internal void ReadBlock(ulong[] start, ulong[] size, Span<byte> destination, string place)
    {
        try
        {
            switch (Layout)
            {
                case "contiguous" or "compact" or "external":
                    ReadFlat(start, size, destination, place);
                    break;
                case "chunked":
                    ReadChunked(start, size, destination, place);
                    break;
                default:
                    ReadVirtual(start, size, destination, place);
                    break;
            }
        }
        catch (Hdf5FormatException ex) when (ex.ObjectPath != place && ex.File == _source.Path)
        {
            throw new Hdf5FormatException(_source.Path, place, $"{ex.ObjectPath}: {ex.Detail}", ex);
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or IndexOutOfRangeException or InvalidCastException)
        {
            // Sizes that overflow or do not fit come from damaged dimensions, chunk sizes or selections.
            throw new Hdf5FormatException(_source.Path, place, $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.", ex);
        }
    }

    private ulong TotalBytes => (IsScalar ? 1UL : Dimensions.Aggregate(1UL, (a, d) => a * d)) * (ulong)Type.Size;

    /// <summary>Contiguous, compact and external storage: the dataset's bytes in row-major order, read by runs.</summary>
    private void ReadFlat(ulong[] start, ulong[] size, Span<byte> destination, string place)
    {
        int e = Type.Size;
        if (_layout.Class == H5LayoutClass.Contiguous && _external.Length == 0 && _source.IsUndefined(_layout.Address))
        {
            Fill(destination);
            return;
        }
        if (_layout.Class == H5LayoutClass.Contiguous && _external.Length == 0 && _layout.Size != ulong.MaxValue && _layout.Size < TotalBytes)
        {
            throw _source.Error(place, $"Its storage holds {_layout.Size} bytes, its {Describe()} need {TotalBytes}: the file is damaged.");
        }
        if (_layout.Class == H5LayoutClass.Compact && (ulong)_layout.CompactData.Length < TotalBytes)
        {
            throw _source.Error(place, $"Its compact storage holds {_layout.CompactData.Length} bytes, its {Describe()} need {TotalBytes}: the file is damaged.");
        }
        int destinationAt = 0;
        foreach ((ulong offset, int length) in Runs(start, size, Dimensions, e))
        {
            Span<byte> target = destination.Slice(destinationAt, length);
            if (_external.Length > 0)
            {
                ReadExternal(offset, target, place);
            }
            else if (_layout.Class == H5LayoutClass.Compact)
            {
                _layout.CompactData.AsSpan((int)offset, length).CopyTo(target);
            }
            else
            {
                _source.ReadAbsolute(_source.Position(_layout.Address, place) + (long)offset, target, place);
            }
            destinationAt += length;
        }
    }

    /// <summary>The byte runs of a row-major box: (offset in the dataset, length), merged along the last dimensions when whole.</summary>
    private static IEnumerable<(ulong Offset, int Length)> Runs(ulong[] start, ulong[] size, ulong[] dims, int element)
    {
        int rank = dims.Length;
        if (rank == 0)
        {
            yield return (0, element);
            yield break;
        }
        // The innermost dimensions that the box covers whole merge into one run.
        int split = rank - 1;
        ulong run = size[rank - 1] * (ulong)element;
        while (split > 0 && start[split] == 0 && size[split] == dims[split])
        {
            split--;
            run *= size[split];
        }
        if (run == 0)
        {
            yield break;
        }
        var index = new ulong[split];
        while (true)
        {
            ulong offset = 0;
            for (int d = 0; d < rank; d++)
            {
                ulong coordinate = d < split ? start[d] + index[d] : start[d];
                offset = (offset * dims[d]) + coordinate;
            }
            yield return (offset * (ulong)element, checked((int)run));
            int k = split - 1;
            while (k >= 0)
            {
                if (++index[k] < size[k])
                {
                    break;
                }
                index[k] = 0;
                k--;
            }
            if (k < 0)
            {
                yield break;
            }
        }
    }

    private void ReadExternal(ulong offset, Span<byte> target, string place)
    {
        ulong at = 0;
        foreach (H5ExternalFile file in _external)
        {
            ulong end = file.Size == ulong.MaxValue || at + file.Size < at ? ulong.MaxValue : at + file.Size;
            while (target.Length > 0 && offset >= at && offset < end)
            {
                int n = (int)Math.Min((ulong)target.Length, end - offset);
                string path = File.ResolveExternalRaw(file.Name, _source.Path, place);
                File.ReadExternalRaw(path, (long)(file.Offset + (offset - at)), target[..n], place);
                target = target[n..];
                offset += (ulong)n;
            }
            at = end;
        }
        if (target.Length > 0)
        {
            throw _source.Error(place, "Its external files hold fewer bytes than the dataset needs: the file or its external files are damaged.");
        }
    }

    private void Fill(Span<byte> destination)
    {
        if (_fill is null || _fill.All(b => b == 0))
        {
            destination.Clear();
            return;
        }
        for (int i = 0; i + _fill.Length <= destination.Length; i += _fill.Length)
        {
            _fill.CopyTo(destination[i..]);
        }
    }

    private Dictionary<ulong, H5Chunk> ChunkIndex(string place)
    {
        if (_chunks is not null)
        {
            return _chunks;
        }
        List<H5Chunk> chunks = H5ChunkIndexes.Read(_source, _layout, Dimensions, MaxDimensions, Type.Size, _pipeline.Length > 0, _what);
        ulong[] grid = H5ChunkIndexes.Grid(Dimensions, Chunks!);
        var index = new Dictionary<ulong, H5Chunk>(chunks.Count);
        foreach (H5Chunk chunk in chunks)
        {
            if (chunk.Scaled.Length != grid.Length)
            {
                throw _source.Error(place, "A chunk's coordinates do not fit the dataset: the file is damaged.");
            }
            bool inside = true;
            for (int d = 0; d < grid.Length; d++)
            {
                inside &= chunk.Scaled[d] < grid[d];
            }
            if (inside)
            {
                index[Linear(chunk.Scaled, grid)] = chunk;
            }
        }
        return _chunks = index;
    }

    private static ulong Linear(ulong[] scaled, ulong[] grid)
    {
        ulong linear = 0;
        for (int d = 0; d < grid.Length; d++)
        {
            linear = (linear * grid[d]) + scaled[d];
        }
        return linear;
    }

    private void ReadChunked(ulong[] start, ulong[] size, Span<byte> destination, string place)
    {
        Dictionary<ulong, H5Chunk> index = ChunkIndex(place);
        ulong[] chunk = Chunks!;
        ulong[] grid = H5ChunkIndexes.Grid(Dimensions, chunk);
        int rank = Dimensions.Length;
        int element = Type.Size;
        int chunkBytes = checked((int)chunk.Aggregate((ulong)element, (a, d) => a * d));
        // The chunks the box overlaps, row-major.
        var first = new ulong[rank];
        var last = new ulong[rank];
        for (int d = 0; d < rank; d++)
        {
            if (size[d] == 0)
            {
                return;
            }
            first[d] = start[d] / chunk[d];
            last[d] = (start[d] + size[d] - 1) / chunk[d];
        }
        var needed = new List<ulong[]>();
        var at = (ulong[])first.Clone();
        while (true)
        {
            needed.Add((ulong[])at.Clone());
            int k = rank - 1;
            while (k >= 0 && ++at[k] > last[k])
            {
                at[k] = first[k];
                k--;
            }
            if (k < 0)
            {
                break;
            }
        }
        // Decompress the chunks not in the cache, in parallel, then copy every chunk's part of the box.
        var decoded = new byte[]?[needed.Count];
        var missing = new List<int>();
        for (int i = 0; i < needed.Count; i++)
        {
            ulong key = Linear(needed[i], grid);
            if (_cache!.TryGet(key, out byte[]? data))
            {
                decoded[i] = data;
            }
            else if (index.ContainsKey(key))
            {
                missing.Add(i);
            }
        }
        void Decode(int i)
        {
            H5Chunk c = index[Linear(needed[i], grid)];
            decoded[i] = DecodeChunk(c, chunk, chunkBytes, place);
        }
        if (missing.Count > 1 && _pipeline.Length > 0)
        {
            try
            {
                Parallel.ForEach(missing, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Decode);
            }
            catch (AggregateException ex)
            {
                Exception first0 = ex.InnerExceptions.FirstOrDefault(e => e is Hdf5FormatException) ?? ex.InnerExceptions[0];
                if (first0 is Hdf5FormatException format)
                {
                    throw new Hdf5FormatException(format.File, format.ObjectPath, format.Detail, format);
                }
                throw _source.Error(place, Hdf5File.Describe(first0));
            }
        }
        else
        {
            missing.ForEach(Decode);
        }
        foreach (int i in missing)
        {
            _cache!.Add(Linear(needed[i], grid), decoded[i]!);
        }
        byte[]? fill = null;
        for (int i = 0; i < needed.Count; i++)
        {
            byte[]? data = decoded[i];
            if (data is null)
            {
                fill ??= FillChunk(chunkBytes);
                data = fill;
            }
            CopyChunk(data, needed[i], chunk, start, size, destination, element);
        }
    }

    private byte[] FillChunk(int chunkBytes)
    {
        byte[] chunk = new byte[chunkBytes];
        Fill(chunk);
        return chunk;
    }

    private byte[] DecodeChunk(H5Chunk c, ulong[] chunk, int chunkBytes, string place)
    {
        string where = $"The chunk of rows {c.Scaled[0] * chunk[0]}–{Math.Max(c.Scaled[0] * chunk[0], Math.Min((c.Scaled[0] + 1) * chunk[0], Dimensions[0]) - 1)} (at byte {_source.Position(c.Address, place)})";
        ulong stored = _pipeline.Length == 0 || c.Size == 0 ? (ulong)chunkBytes : c.Size;
        if (stored > int.MaxValue / 2 || (_pipeline.Length == 0 && stored != (ulong)chunkBytes))
        {
            throw _source.Error(place, $"{where}: its stored size {stored} is impossible for a chunk of {chunkBytes} bytes: the file is damaged.");
        }
        byte[] raw;
        try
        {
            raw = _source.Read(c.Address, (long)stored, place);
        }
        catch (Hdf5FormatException ex)
        {
            throw _source.Error(place, $"{where}: {ex.Detail}");
        }
        if (_pipeline.Length == 0)
        {
            return raw;
        }
        uint mask = c.FilterMask;
        if (_layout.UnfilteredEdgeChunks)
        {
            for (int d = 0; d < chunk.Length; d++)
            {
                if ((c.Scaled[d] + 1) * chunk[d] > Dimensions[d])
                {
                    mask = uint.MaxValue; // a partial edge chunk, stored without filters
                }
            }
        }
        try
        {
            return H5Filters.Decode(_pipeline, mask, raw, chunkBytes, Type.Raw);
        }
        catch (FilterException ex)
        {
            throw _source.Error(place, $"{where}: {ex.Message}{(ex.Message.EndsWith('.') ? "" : ".")}");
        }
    }

    /// <summary>Copies the part of a chunk (at chunk coordinates <paramref name="scaled"/>) inside the box into the box's row-major buffer.</summary>
    private void CopyChunk(byte[] data, ulong[] scaled, ulong[] chunk, ulong[] start, ulong[] size, Span<byte> destination, int element)
    {
        int rank = chunk.Length;
        var lo = new ulong[rank];
        var hi = new ulong[rank];
        for (int d = 0; d < rank; d++)
        {
            ulong c0 = scaled[d] * chunk[d];
            lo[d] = Math.Max(start[d], c0);
            hi[d] = Math.Min(Math.Min(start[d] + size[d], c0 + chunk[d]), Dimensions[d]);
            if (hi[d] <= lo[d])
            {
                return;
            }
        }
        int run = checked((int)((hi[rank - 1] - lo[rank - 1]) * (ulong)element));
        var index = (ulong[])lo.Clone();
        while (true)
        {
            ulong source = 0, target = 0;
            for (int d = 0; d < rank; d++)
            {
                source = (source * chunk[d]) + (index[d] - (scaled[d] * chunk[d]));
                target = (target * size[d]) + (index[d] - start[d]);
            }
            data.AsSpan(checked((int)(source * (ulong)element)), run).CopyTo(destination[checked((int)(target * (ulong)element))..]);
            int k = rank - 2;
            while (k >= 0)
            {
                if (++index[k] < hi[k])
                {
                    break;
                }
                index[k] = lo[k];
                k--;
            }
            if (k < 0)
            {
                return;
            }
        }
    }

    /// <summary>The absolute file positions and stored sizes of a chunked dataset's chunks (for tests that damage them).</summary>
    internal IReadOnlyList<(long Position, long Size)> ChunkExtents() =>
        Chunks is null ? [] : [.. ChunkIndex($"dataset {Path}").Values.Select(c => (_source.Position(c.Address, Path), (long)(c.Size == 0 ? Chunks.Aggregate((ulong)Type.Size, (a, d) => a * d) : c.Size)))];

    /// <summary>A virtual dataset's mapping: a block of the virtual dataset and the source dataset block it shows.</summary>
    private sealed record VirtualMapping(string SourceFile, string SourceDataset, ulong[]? SourceStart, ulong[]? SourceSize, ulong[] Start, ulong[] Size);

    private void ReadVirtual(ulong[] start, ulong[] size, Span<byte> destination, string place)
    {
        _mappings ??= ReadMappings(place);
        Fill(destination);
        int rank = Dimensions.Length;
        int element = Type.Size;
        foreach (VirtualMapping m in _mappings)
        {
            // The intersection of the box with the mapping's block, in virtual coordinates.
            var lo = new ulong[rank];
            var hi = new ulong[rank];
            bool empty = false;
            for (int d = 0; d < rank; d++)
            {
                lo[d] = Math.Max(start[d], m.Start[d]);
                hi[d] = Math.Min(start[d] + size[d], m.Start[d] + m.Size[d]);
                empty |= hi[d] <= lo[d];
            }
            if (empty)
            {
                continue;
            }
            Hdf5Dataset source = File.VirtualSource(m.SourceFile, m.SourceDataset, _source.Path, place);
            if (source.Type.Size != element || source.Type.Raw.Class != Type.Raw.Class)
            {
                throw _source.Error(place, $"Its source {m.SourceFile}:{m.SourceDataset} has type {source.Type.Name}, the virtual dataset {Type.Name}: they must match.");
            }
            ulong[] sourceStart = m.SourceStart ?? new ulong[source.Dimensions.Length];
            ulong[] sourceSize = m.SourceSize ?? source.Dimensions;
            // Same shape: element (v0 + i, …) shows (s0 + i, …). A virtual block of one row over a whole source block of one rank less: that row.
            ulong[] subStart, subSize;
            if (sourceSize.Length == rank && sourceSize.SequenceEqual(m.Size))
            {
                subStart = [.. Enumerable.Range(0, rank).Select(d => sourceStart[d] + (lo[d] - m.Start[d]))];
                subSize = [.. Enumerable.Range(0, rank).Select(d => hi[d] - lo[d])];
            }
            else if (sourceSize.Length == rank - 1 && m.Size[0] == 1 && sourceSize.SequenceEqual(m.Size.AsSpan(1)))
            {
                subStart = [.. Enumerable.Range(1, rank - 1).Select(d => sourceStart[d - 1] + (lo[d] - m.Start[d]))];
                subSize = [.. Enumerable.Range(1, rank - 1).Select(d => hi[d] - lo[d])];
            }
            else
            {
                throw _source.Error(place, $"Its mapping of {m.SourceFile}:{m.SourceDataset} (block {string.Join("×", sourceSize)} onto {string.Join("×", m.Size)}) is not supported: only blocks of the same shape, or a row over a whole block, are.");
            }
            ulong count = subSize.Aggregate(1UL, (a, d) => a * d);
            byte[] part = new byte[checked((int)(count * (ulong)element))];
            source.ReadBlock(subStart, subSize, part, $"dataset {m.SourceDataset} of {m.SourceFile} (source of {Path})");
            // Copy the part (row-major over hi − lo) into the box.
            var boxSize = Enumerable.Range(0, rank).Select(d => hi[d] - lo[d]).ToArray();
            int run = checked((int)(boxSize[rank - 1] * (ulong)element));
            var index = new ulong[rank];
            int from = 0;
            while (true)
            {
                ulong target = 0;
                for (int d = 0; d < rank; d++)
                {
                    target = (target * size[d]) + (lo[d] + index[d] - start[d]);
                }
                part.AsSpan(from, run).CopyTo(destination[checked((int)(target * (ulong)element))..]);
                from += run;
                int k = rank - 2;
                while (k >= 0)
                {
                    if (++index[k] < boxSize[k])
                    {
                        break;
                    }
                    index[k] = 0;
                    k--;
                }
                if (k < 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The mappings of a virtual dataset: a global heap object (spec IV.A.2.i, layout class 3) with a lookup3 checksum.</summary>
    private List<VirtualMapping> ReadMappings(string place)
    {
        (ulong collection, uint index) = _layout.VirtualHeap;
        byte[] data = _source.GlobalHeapObject(collection, index, place).ToArray();
        var c = new H5Cursor(_source, data, $"{_what}, virtual dataset mappings");
        int version = c.U8();
        if (version != 0)
        {
            throw c.Fail($"Virtual dataset mapping version {version} is unknown.");
        }
        ulong entries = c.Length();
        var result = new List<VirtualMapping>();
        for (ulong i = 0; i < entries; i++)
        {
            string file = c.CString();
            string dataset = c.CString();
            (ulong[]? sourceStart, ulong[]? sourceSize) = Selection(c, null);
            (ulong[]? start, ulong[]? size) = Selection(c, Dimensions);
            result.Add(new VirtualMapping(file, dataset, sourceStart, sourceSize, start!, size!));
        }
        c.Checksum();
        return result;
    }

    /// <summary>
    /// A serialized dataspace selection (H5S select encoding): "all" (null, or the whole of <paramref name="all"/>)
    /// or a hyperslab that is one block. Other selections are not supported.
    /// </summary>
    private static (ulong[]? Start, ulong[]? Size) Selection(H5Cursor c, ulong[]? all)
    {
        uint type = c.U32();
        uint version = c.U32();
        switch (type)
        {
            case 3: // all
                c.Skip(8);
                return all is null ? (null, null) : (new ulong[all.Length], all);
            case 2 when version == 1:
            {
                c.Skip(8);
                int rank = (int)c.U32();
                uint blocks = c.U32();
                if (blocks != 1 || rank > 32)
                {
                    throw c.Fail($"A virtual dataset selection of {blocks} blocks is not supported (only one block).");
                }
                var start = new ulong[rank];
                var end = new ulong[rank];
                for (int d = 0; d < rank; d++)
                {
                    start[d] = c.U32();
                }
                for (int d = 0; d < rank; d++)
                {
                    end[d] = c.U32();
                }
                return (start, [.. Enumerable.Range(0, rank).Select(d => end[d] - start[d] + 1)]);
            }
            case 2 when version == 2:
            {
                c.Skip(1 + 4);
                int rank = (int)c.U32();
                if (rank > 32)
                {
                    throw c.Fail("A selection's rank is impossible: the file is damaged.");
                }
                var start = new ulong[rank];
                var size = new ulong[rank];
                for (int d = 0; d < rank; d++)
                {
                    start[d] = c.U64();
                    ulong stride = c.U64();
                    ulong count = c.U64();
                    ulong block = c.U64();
                    if (count == ulong.MaxValue || block == ulong.MaxValue)
                    {
                        throw c.Fail("Unlimited virtual dataset mappings are not supported.");
                    }
                    if (count != 1 && stride != block)
                    {
                        throw c.Fail("Strided virtual dataset selections are not supported (only one block).");
                    }
                    size[d] = count * block;
                }
                return (start, size);
            }
            default:
                throw c.Fail($"A virtual dataset selection of type {type}, version {version} is not supported (only all and single blocks).");
        }
    }

    /// <summary>
    /// Reads the strings of rows [first, first + count): fixed-length (padding removed) or variable-length
    /// (from the global heap), as UTF-8; row-major, <see cref="RowElements"/> per row.
    /// </summary>
    public string[] ReadStrings(long first, int count)
    {
        if (Type.Kind != Hdf5TypeKind.String)
        {
            throw new InvalidOperationException($"{Type.Name} is not a string type.");
        }
        byte[] raw = new byte[checked(count * RowBytes)];
        ReadRows(first, count, raw);
        int n = checked((int)(count * RowElements));
        string[] result = new string[n];
        string place = $"{_what}, rows {first}–{first + count - 1}";
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> value = raw.AsSpan(i * Type.Size, Type.Size);
            result[i] = Type.Raw.Class == H5Class.String ? Type.FixedString(value) : Type.FixedString(VariableLength(value, 1, place));
        }
        return result;
    }

    /// <summary>
    /// Reads the sequences of rows [first, first + count) of a variable-length dataset: each element's
    /// length and the elements' values concatenated, as the base type's raw file bytes.
    /// </summary>
    public (long[] Lengths, byte[] Values) ReadSequences(long first, int count)
    {
        if (Type.Kind != Hdf5TypeKind.Sequence)
        {
            throw new InvalidOperationException($"{Type.Name} is not a variable-length type.");
        }
        byte[] raw = new byte[checked(count * RowBytes)];
        ReadRows(first, count, raw);
        int n = checked((int)(count * RowElements));
        long[] lengths = new long[n];
        int baseSize = Type.Base!.Size;
        using var values = new MemoryStream();
        string place = $"{_what}, rows {first}–{first + count - 1}";
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> bytes = VariableLength(raw.AsSpan(i * Type.Size, Type.Size), baseSize, place);
            lengths[i] = bytes.Length / baseSize;
            values.Write(bytes);
        }
        return (lengths, values.ToArray());
    }

    /// <summary>A variable-length value: its length (in base elements) and global heap reference (spec IV.A.2.d, class 9).</summary>
    private ReadOnlySpan<byte> VariableLength(ReadOnlySpan<byte> descriptor, int baseSize, string place)
    {
        var c = new H5Cursor(_source, descriptor.ToArray(), place);
        uint length = c.U32();
        ulong collection = c.Offset();
        uint index = c.U32();
        if (length == 0)
        {
            return [];
        }
        ReadOnlySpan<byte> bytes = _source.GlobalHeapObject(collection, index, place);
        long needed = (long)length * baseSize;
        if (needed > bytes.Length)
        {
            throw _source.Error(place, $"A variable-length value of {length} elements has only {bytes.Length} bytes in the global heap: the file is damaged.");
        }
        return bytes[..(int)needed];
    }

    /// <summary>Keeps the most recently used decompressed chunks (least recently used out first).</summary>
    private sealed class ChunkCache(int capacity)
    {
        private readonly LinkedList<(ulong Key, byte[] Data)> _order = new();
        private readonly Dictionary<ulong, LinkedListNode<(ulong Key, byte[] Data)>> _nodes = [];

        public long Misses { get; private set; }

        public bool TryGet(ulong key, out byte[]? data)
        {
            if (_nodes.TryGetValue(key, out LinkedListNode<(ulong Key, byte[] Data)>? node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                data = node.Value.Data;
                return true;
            }
            data = null;
            return false;
        }

        public void Add(ulong key, byte[] data)
        {
            Misses++;
            if (_nodes.TryGetValue(key, out var old))
            {
                _order.Remove(old);
            }
            _nodes[key] = _order.AddFirst((key, data));
            while (_order.Count > capacity)
            {
                _nodes.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
        }
    }
}
