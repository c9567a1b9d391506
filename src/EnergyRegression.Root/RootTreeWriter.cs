using EnergyRegression.Root.Format;
using EnergyRegression.Root.Writing;

namespace EnergyRegression.Root;

/// <summary>
/// A TTree being written: define branches, then <see cref="Append"/> entries column by column. A branch whose
/// pending data reaches <see cref="RootWriteOptions.BasketSize"/> closes its own basket, so a branch of 4 KB
/// windows and a branch of ints each get baskets of about that size; every <see cref="ClusterBytes"/> of data,
/// all branches close their baskets at the same entry (a cluster, ROOT's AutoFlush), so readers can read
/// clusters independently.
/// </summary>
public sealed class RootTreeWriter
{
    private readonly RootFileWriter _file;
    private readonly List<BranchWriter> _branches = [];
    private readonly Dictionary<string, BranchWriter> _byName = new(StringComparer.Ordinal);
    private readonly List<long> _clusterStarts = [];
    private long _bytesSinceCluster;
    private long _clusterEnd;

    /// <summary>Uncompressed bytes after which all branches close their baskets together (ROOT's default AutoFlush is 30 MB).</summary>
    internal const long ClusterBytes = 30_000_000;

    internal RootTreeWriter(RootFileWriter file, string name, string title)
    {
        _file = file;
        Name = name;
        Title = title;
    }

    /// <summary>The tree's name.</summary>
    public string Name { get; }

    /// <summary>The tree's title.</summary>
    public string Title { get; }

    /// <summary>Entries appended so far.</summary>
    public long Entries { get; private set; }

    /// <summary>
    /// Adds a branch with one value per entry, or a fixed-size array per entry when <paramref name="shape"/> is
    /// given (a 28×28 window: <c>AddBranch("window", typeof(float), 28, 28)</c> → leaf <c>window[28][28]/F</c>).
    /// Types: bool, sbyte, byte, short, ushort, int, uint, long, ulong, float, double.
    /// </summary>
    public void AddBranch(string name, Type elementType, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Any(d => d <= 0))
        {
            throw new ArgumentException($"branch {name}: array dimensions must be positive", nameof(shape));
        }
        if (elementType == typeof(string))
        {
            throw new ArgumentException($"branch {name}: use AddStringBranch for strings", nameof(elementType));
        }
        Add(new BranchWriter(name, BranchKind.Fixed, LeafType.Of(elementType, name), shape, counter: null, Name));
    }

    /// <summary>Adds a <c>std::vector&lt;T&gt;</c> branch of numbers (TBranchElement); its per-entry sizes are given to <see cref="Append"/> in <c>sizes</c>.</summary>
    public void AddVectorBranch(string name, Type elementType)
    {
        if (elementType == typeof(string))
        {
            throw new ArgumentException($"branch {name}: vectors of strings cannot be written yet", nameof(elementType));
        }
        Add(new BranchWriter(name, BranchKind.Vector, LeafType.Of(elementType, name), [], counter: null, Name));
    }

    /// <summary>Adds a string branch (a TLeafC leaf, <c>name/C</c>); its values are a <c>string[]</c>, UTF-8 encoded.</summary>
    public void AddStringBranch(string name) => Add(new BranchWriter(name, BranchKind.String, LeafType.Of(typeof(string), name), [], counter: null, Name));

    /// <summary>
    /// Adds a C-style variable-length array sized by a counter branch, NanoAOD style
    /// (<c>Electron_pt[nElectron]/F</c>), optionally with fixed inner dimensions. The counter is an int32 or
    /// uint32 branch added before, or an int32 branch created here; its values are the per-entry counts given
    /// to <see cref="Append"/>.
    /// </summary>
    public void AddJaggedBranch(string name, Type elementType, string counter, params int[] innerShape)
    {
        ArgumentException.ThrowIfNullOrEmpty(counter);
        ArgumentNullException.ThrowIfNull(innerShape);
        if (!_byName.TryGetValue(counter, out BranchWriter? count))
        {
            AddBranch(counter, typeof(int));
            count = _byName[counter];
        }
        if (count.Kind != BranchKind.Fixed || count.Shape.Length > 0 || (count.Leaf.ClrType != typeof(int) && count.Leaf.ClrType != typeof(uint)))
        {
            throw new ArgumentException($"branch {name}: counter {counter} must be a scalar int32 or uint32 branch (NanoAOD's are uint32)", nameof(counter));
        }
        if (innerShape.Any(d => d <= 0))
        {
            throw new ArgumentException($"branch {name}: array dimensions must be positive", nameof(innerShape));
        }
        count.IsCounter = true;
        if (elementType == typeof(string))
        {
            throw new ArgumentException($"branch {name}: arrays of strings cannot be written", nameof(elementType));
        }
        Add(new BranchWriter(name, BranchKind.Jagged, LeafType.Of(elementType, name), innerShape, count, Name));
    }

    /// <summary>
    /// Adds a branch whose entries are those of <paramref name="sources"/> — the same branch of consecutive input
    /// files — copied without decompressing where the stored bytes allow (see docs/formats/root.md, "Copying
    /// branches"). Plain TBranches (numbers, fixed and counter-sized arrays, strings) and whole
    /// <c>std::vector</c>s of numbers can be copied; a counter-sized array's counter is copied with it. The
    /// copied branches take no values from <see cref="Append"/>; when the tree also has appended branches,
    /// the entry counts must agree at <see cref="RootFileWriter.Commit"/>.
    /// </summary>
    public void CopyBranch(IReadOnlyList<RootBranch> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0)
        {
            throw new ArgumentException("give at least one source branch", nameof(sources));
        }
        RootBranch first = sources[0];
        foreach (RootBranch s in sources)
        {
            if (s.Name != first.Name || s.TypeName != first.TypeName)
            {
                throw new ArgumentException($"branch {s.Name} ({s.TypeName}) of {s.File.Path} does not match {first.Name} ({first.TypeName}) of {first.File.Path}");
            }
            if (!s.IsPlainLeafBranch && !s.IsTopLevelVector)
            {
                throw new ArgumentException($"branch {s.Name} of {s.File.Path} ({s.ClassName}, {s.TypeName}) cannot be copied: only plain leaf branches and whole std::vectors of numbers can; read it and write it instead");
            }
        }
        BranchWriter? counter = null;
        if (first.Counter is { } c)
        {
            if (!_byName.TryGetValue(c.Name, out counter))
            {
                CopyBranch([.. sources.Select(s => s.Counter!)]);
                counter = _byName[c.Name];
            }
            if (!counter.IsCopied)
            {
                throw new ArgumentException($"branch {first.Name}: its counter {c.Name} is a written branch of this tree, not a copied one");
            }
        }
        BranchKind kind = first.Layout switch
        {
            RootBranchLayout.Fixed => BranchKind.Fixed,
            RootBranchLayout.Counted => BranchKind.Jagged,
            RootBranchLayout.Vector => BranchKind.Vector,
            _ => BranchKind.String,
        };
        var branch = new BranchWriter(first.Name, kind, LeafType.Of(first.ElementType, first.Name), [.. first.Shape], counter, Name) { IsCopied = true };
        if (counter is not null)
        {
            counter.IsCounter = true;
        }
        branch.CopySources.AddRange(sources);
        AddAnytime(branch);
    }

    /// <summary>Baskets copied as they were stored, over all branches (tests).</summary>
    internal int RawCopies => _branches.Sum(b => b.RawCopies);

    /// <summary>Writes the baskets of the copied branches (at commit, after the appended ones).</summary>
    internal void WriteCopies()
    {
        foreach (BranchWriter b in _branches.Where(b => b.IsCopied))
        {
            b.WriteCopies(_file);
        }
        long[] counts = [.. _branches.Select(b => b.FinalEntries).Distinct()];
        if (counts.Length > 1)
        {
            throw new InvalidOperationException($"tree {Name}: the branches hold different numbers of entries ({string.Join(", ", _branches.Select(b => $"{b.Name}: {b.FinalEntries}"))})");
        }
        if (_branches.All(b => b.IsCopied) && counts.Length == 1)
        {
            Entries = counts[0];
        }
    }

    private void Add(BranchWriter branch)
    {
        if (Entries > 0)
        {
            throw new InvalidOperationException($"tree {Name}: branches must be added before the first entries");
        }
        AddAnytime(branch);
    }

    private void AddAnytime(BranchWriter branch)
    {
        if (string.IsNullOrEmpty(branch.Name) || branch.Name.IndexOfAny(['[', ']', '/', ':']) >= 0)
        {
            throw new ArgumentException($"'{branch.Name}' is not a valid branch name (no '[', ']', '/', ':')");
        }
        if (!_byName.TryAdd(branch.Name, branch))
        {
            throw new ArgumentException($"tree {Name} already has a branch '{branch.Name}'");
        }
        _branches.Add(branch);
    }

    /// <summary>
    /// Appends <paramref name="entries"/> entries. <paramref name="columns"/> holds one array per branch, of the
    /// branch's element type: <c>entries</c> values for scalars and strings, <c>entries × product(shape)</c> for
    /// fixed arrays, the per-entry counts (int[]) for a counter, all the entries' items flat
    /// (<c>sum(counts) × product(inner)</c>) for a jagged branch, all the items flat for a vector branch, whose
    /// per-entry sizes <paramref name="sizes"/> gives by branch name.
    /// </summary>
    public void Append(int entries, IReadOnlyDictionary<string, Array> columns, IReadOnlyDictionary<string, int[]>? sizes = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        if (_branches.Count == 0)
        {
            throw new InvalidOperationException($"tree {Name} has no branches");
        }
        foreach (string extra in columns.Keys.Where(k => !_byName.ContainsKey(k)))
        {
            throw new ArgumentException($"tree {Name} has no branch '{extra}'");
        }
        var chunk = new Dictionary<BranchWriter, Array>(ReferenceEqualityComparer.Instance);
        // Copied branches take no values, except a copied counter of a written branch: its counts size that branch.
        var countersOfWritten = new HashSet<BranchWriter>(_branches.Where(b => !b.IsCopied).Select(b => b.Counter).OfType<BranchWriter>(), ReferenceEqualityComparer.Instance);
        foreach (BranchWriter b in _branches.Where(b => !b.IsCopied || countersOfWritten.Contains(b)))
        {
            if (!columns.TryGetValue(b.Name, out Array? values))
            {
                throw new ArgumentException($"no values for branch '{b.Name}' of tree {Name}");
            }
            if (values.GetType().GetElementType() != b.Leaf.ClrType && !(b.IsCopied && values is int[] or uint[]))
            {
                throw new ArgumentException($"branch {b.Name} holds {b.Leaf.ClrType.Name}, the values are {values.GetType().Name}");
            }
            chunk[b] = values;
        }
        // Items per entry (from the counters, or the vector sizes), checked against the number of values given.
        var itemOffsets = new Dictionary<BranchWriter, long[]>(ReferenceEqualityComparer.Instance);
        var bytes = new Dictionary<BranchWriter, long[]>(ReferenceEqualityComparer.Instance);
        List<BranchWriter> written = [.. _branches.Where(b => !b.IsCopied)];
        foreach (BranchWriter b in written)
        {
            long[]? offsets = b.Kind switch
            {
                BranchKind.Jagged => OffsetsOf(b.Counter!.Name, chunk[b.Counter] as int[] ?? Array.ConvertAll((uint[])chunk[b.Counter], c => c > int.MaxValue ? -1 : (int)c), entries),
                BranchKind.Vector => OffsetsOf(b.Name, sizes is not null && sizes.TryGetValue(b.Name, out int[]? s) ? s
                    : throw new ArgumentException($"no sizes for vector branch '{b.Name}' of tree {Name}"), entries),
                _ => null,
            };
            if (offsets is not null)
            {
                itemOffsets[b] = offsets;
            }
            long expected = b.Kind == BranchKind.String ? entries : (offsets?[entries] ?? entries) * (long)b.ValuesPerItem;
            if (chunk[b].LongLength != expected)
            {
                throw new ArgumentException($"branch {b.Name}: {chunk[b].LongLength} values given, {entries} entries need {expected}");
            }
            bytes[b] = b.CumulativeBytes(chunk[b], entries, offsets);
        }

        int done = 0;
        while (done < entries)
        {
            int stop = FlushPoint(done, entries, bytes, written);
            foreach (BranchWriter b in written)
            {
                b.Fill(chunk[b], done, stop, itemOffsets.GetValueOrDefault(b));
                _bytesSinceCluster += bytes[b][stop] - bytes[b][done];
            }
            Entries += stop - done;
            done = stop;
            if (_bytesSinceCluster >= ClusterBytes)
            {
                FlushAll();
            }
            else
            {
                Flush([.. written.Where(b => b.PendingBytes >= _file.Options.BasketSize)]);
            }
        }
    }

    private long[] OffsetsOf(string what, int[] counts, int entries)
    {
        if (counts.Length != entries)
        {
            throw new ArgumentException($"{what}: {counts.Length} counts given for {entries} entries");
        }
        long[] offsets = new long[entries + 1];
        for (int e = 0; e < entries; e++)
        {
            if (counts[e] < 0)
            {
                throw new ArgumentException($"{what}: negative count {counts[e]} at entry {Entries + e}");
            }
            offsets[e + 1] = offsets[e] + counts[e];
        }
        return offsets;
    }

    /// <summary>The entry (exclusive) at which the first branch reaches the basket size, or <paramref name="entries"/>; at least one entry.</summary>
    private int FlushPoint(int from, int entries, Dictionary<BranchWriter, long[]> bytes, List<BranchWriter> written)
    {
        int stop = entries;
        foreach (BranchWriter b in written)
        {
            long[] sums = bytes[b];
            long room = _file.Options.BasketSize - b.PendingBytes;
            // First entry e ≥ from with sums[e + 1] − sums[from] ≥ room: the basket is full after it.
            int lo = from;
            int hi = stop;
            while (lo < hi)
            {
                int mid = lo + (hi - lo) / 2;
                if (sums[mid + 1] - sums[from] >= room)
                {
                    hi = mid;
                }
                else
                {
                    lo = mid + 1;
                }
            }
            stop = Math.Min(stop, lo + 1);
        }
        return Math.Clamp(stop, from + 1, entries);
    }

    /// <summary>Closes every branch's basket at the current entry (a cluster boundary).</summary>
    internal void FlushAll()
    {
        if (Entries == _clusterEnd)
        {
            return;
        }
        _clusterStarts.Add(_clusterEnd);
        _clusterEnd = Entries;
        _bytesSinceCluster = 0;
        Flush(_branches);
    }

    /// <summary>Closes the baskets of <paramref name="branches"/>: compressed in parallel (each touches only its branch), appended in order.</summary>
    private void Flush(List<BranchWriter> branches)
    {
        if (branches.Count == 0)
        {
            return;
        }
        var prepared = new BranchWriter.PreparedBasket?[branches.Count];
        long pending = branches.Sum(b => b.PendingBytes);
        if (pending > 64 * 1024 && branches.Count > 1 && _file.Options.Compression != RootCompression.None)
        {
            Parallel.For(0, branches.Count, i => prepared[i] = branches[i].Prepare(_file.Options, Name));
        }
        else
        {
            for (int i = 0; i < branches.Count; i++)
            {
                prepared[i] = branches[i].Prepare(_file.Options, Name);
            }
        }
        for (int i = 0; i < branches.Count; i++)
        {
            branches[i].Write(_file, prepared[i]);
        }
    }

    /// <summary>Streamer infos this tree needs beyond the writer's catalog (its vector classes).</summary>
    internal IEnumerable<StreamerInfoModel> ExtraStreamerInfos() =>
        _branches.Where(b => b.Kind == BranchKind.Vector).Select(b => b.VectorStreamerInfo());

    /// <summary>The TTree object (v20; member order per the TTree streamer info in <see cref="StreamerCatalog"/>).</summary>
    internal void Serialize(ObjectWriter w)
    {
        BigEndianWriter b = w.Buffer;
        w.WriteVersioned(20, () =>
        {
            w.WriteTNamed(Name, Title);
            w.WriteVersioned(2, () => { b.WriteInt16(602); b.WriteInt16(1); b.WriteInt16(1); });   // TAttLine
            w.WriteVersioned(2, () => { b.WriteInt16(0); b.WriteInt16(1001); });                   // TAttFill
            w.WriteVersioned(2, () => { b.WriteInt16(1); b.WriteInt16(1); b.WriteFloat(1); });      // TAttMarker
            b.WriteInt64(Entries);
            b.WriteInt64(_branches.Sum(x => x.TotBytes));
            b.WriteInt64(_branches.Sum(x => x.ZipBytes));
            b.WriteInt64(0);                    // fSavedBytes
            b.WriteInt64(_branches.Sum(x => x.ZipBytes)); // fFlushedBytes
            b.WriteDouble(1);                   // fWeight
            b.WriteInt32(0);                    // fTimerInterval
            b.WriteInt32(25);                   // fScanField
            b.WriteInt32(0);                    // fUpdate
            b.WriteInt32(1000);                 // fDefaultEntryOffsetLen
            b.WriteInt32(0);                    // fNClusterRange
            b.WriteInt64(1_000_000_000_000);    // fMaxEntries
            b.WriteInt64(1_000_000_000_000);    // fMaxEntryLoop
            b.WriteInt64(0);                    // fMaxVirtualSize
            b.WriteInt64(-300_000_000);         // fAutoSave
            b.WriteInt64(_clusterStarts.Count > 1 ? _clusterStarts[1] : -_file.Options.BasketSize); // fAutoFlush: entries of the first cluster
            b.WriteInt64(1_000_000);            // fEstimate
            b.WriteByte(0);                     // fClusterRangeEnd: no array
            b.WriteByte(0);                     // fClusterSize: no array
            w.WriteVersioned(1, () => b.WriteByte(0)); // fIOFeatures
            w.WriteObjArray(_branches, (x, branch) => branch.Serialize(x));
            w.WriteObjArray(_branches, (x, branch) => branch.SerializeLeaf(x));
            b.WriteUInt32(0);                   // fAliases
            b.WriteInt32(0);                    // fIndexValues (TArrayD: size 0)
            b.WriteInt32(0);                    // fIndex (TArrayI: size 0)
            b.WriteUInt32(0);                   // fTreeIndex
            b.WriteUInt32(0);                   // fFriends
            b.WriteUInt32(0);                   // fUserInfo
            b.WriteUInt32(0);                   // fBranchRef
        });
    }
}

