using EnergyRegression.Root;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// One ROOT read to measure: some branches of a tree of one file, read over all entries. It also holds, gathered
/// once through the reader's internals, the stored (compressed) records of the free baskets those reads decompress,
/// so that the codec can be timed alone on exactly the same bytes (<see cref="DecompressOnly"/>).
/// </summary>
/// <remarks>
/// Each measured read uses a fresh <see cref="RootTree"/> (<see cref="FreshTree"/>), so nothing a branch keeps
/// between reads (its last basket) is reused from one read to the next. Neither opening the file and parsing the
/// TTree object nor building the tree's branches is timed: on these small files they would weigh as much as the
/// baskets, on real files they do not.
/// </remarks>
internal sealed class RootWorkload : IDisposable
{
    private readonly RootFile _file;
    private readonly TreeModel _model;
    private readonly string[] _branches;
    private readonly List<StoredBasket> _baskets;
    private readonly byte[] _scratch;

    private RootWorkload(string label, string path, string tree, RootFile file, TreeModel model, string[] branches, List<StoredBasket> baskets,
        long payloadBytes, long embeddedBytes)
    {
        Label = label;
        Path = path;
        Tree = tree;
        _file = file;
        _model = model;
        _branches = branches;
        _baskets = baskets;
        PayloadBytes = payloadBytes;
        EmbeddedBytes = embeddedBytes;
        _scratch = new byte[baskets.Select(b => Math.Max(b.ObjectLength, b.Nbytes)).DefaultIfEmpty(1).Max()];
    }

    /// <summary>A short name for tables, e.g. "HZZ-zlib MET_px".</summary>
    public string Label { get; }

    public string Path { get; }

    public string Tree { get; }

    public IReadOnlyList<string> Branches => _branches;

    public long Entries => _model.Entries;

    /// <summary>Uncompressed basket bytes the reads go through: fObjlen of every free basket plus the baskets stored in the tree.</summary>
    public long PayloadBytes { get; }

    /// <summary>Part of <see cref="PayloadBytes"/> in baskets stored inside the TTree object (never compressed separately).</summary>
    public long EmbeddedBytes { get; }

    /// <summary>Free baskets whose stored bytes are compressed.</summary>
    public int CompressedBaskets => _baskets.Count(b => b.Compressed);

    /// <summary>Bytes of those baskets on disk, after their keys.</summary>
    public long StoredBytes => _baskets.Sum(b => (long)b.Stored.Length);

    /// <summary>The compression tag of the first compressed basket ("ZL", "L4", "ZS", "XZ"), or "none".</summary>
    public string Codec => _baskets.FirstOrDefault(b => b.Compressed) is { } b ? $"{(char)b.Stored[0]}{(char)b.Stored[1]}" : "none";

    /// <summary>
    /// Opens <paramref name="path"/> and prepares reading <paramref name="branches"/> of <paramref name="tree"/>
    /// (null: every readable branch, leaf-list members included, as the reader lists them).
    /// </summary>
    public static RootWorkload Open(string label, string path, string tree, IReadOnlyList<string>? branches)
    {
        var file = RootFile.Open(path);
        try
        {
            RootKey key = file.Root.FindKey(tree) ?? throw new InvalidOperationException($"{path}: no tree {tree}");
            byte[] record = file.ReadObject(key.Header, $"TTree {key.Name}");
            var reader = new BigEndianReader(record, file.Path, $"TTree {key.Name}", key.Seek, key.Header.KeyLen, decompressed: true);
            TreeModel model = new ObjectParser().ReadTree(ref reader);
            var check = new RootTree(file, model);
            string[] names = branches is null ? [.. check.Branches.Where(b => b.IsReadable && b.IsColumn).Select(b => b.Name)] : [.. branches];

            var models = new Dictionary<string, BranchModel>(StringComparer.Ordinal);
            void Flatten(BranchModel b)
            {
                models.TryAdd(b.Name, b);
                b.Branches.ForEach(Flatten);
            }
            model.Branches.ForEach(Flatten);

            var baskets = new List<StoredBasket>();
            long payload = 0;
            long embedded = 0;
            foreach (string name in names)
            {
                RootBranch branch = check.GetBranch(name);
                if (!branch.IsReadable)
                {
                    throw new InvalidOperationException($"{path}: branch {name} is not readable ({branch.UnsupportedReason})");
                }
                // A leaf-list member "branch.leaf" reads the baskets of "branch".
                BranchModel m = models.TryGetValue(name, out BranchModel? exact) ? exact
                    : models[name[..name.LastIndexOf('.')]];
                if (m.WriteBasket + m.Embedded.Count != branch.BasketCount)
                {
                    throw new InvalidOperationException($"{path}: branch {name} maps to a model with another number of baskets");
                }
                for (int i = 0; i < m.WriteBasket; i++)
                {
                    var stored = StoredBasket.Load(file, name, m.BasketSeek[i], m.BasketBytes[i]);
                    baskets.Add(stored);
                    payload += stored.ObjectLength;
                }
                foreach (EmbeddedBasket e in m.Embedded)
                {
                    payload += e.Data.Length;
                    embedded += e.Data.Length;
                }
            }
            return new RootWorkload(label, path, tree, file, model, names, baskets, payload, embedded);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new <see cref="RootTree"/> over the tree metadata parsed once: new <see cref="RootBranch"/> objects, so
    /// no basket kept by an earlier read is reused. Building it (20 µs for HZZ's 51 branches) is not part of a
    /// read: the timed loops take their trees from a pool made beforehand.
    /// </summary>
    public RootTree FreshTree() => new(_file, _model);

    /// <summary>Reads every branch over all entries of <paramref name="tree"/>, as a user would (<see cref="RootBranch.Read"/>); returns the number of values.</summary>
    public long Read(RootTree tree)
    {
        long values = 0;
        foreach (string name in _branches)
        {
            RootBranch b = tree.GetBranch(name);
            values += b.Read(0, b.Entries).Values.Length;
        }
        return values;
    }

    /// <summary><see cref="Read(RootTree)"/> on a <see cref="FreshTree"/>.</summary>
    public long Read() => Read(FreshTree());

    /// <summary>
    /// The codec alone on the same baskets: <see cref="RootDecompressor.Decompress"/> of each compressed basket's
    /// stored bytes (held in memory) into one preallocated buffer. Returns the bytes produced.
    /// </summary>
    public long DecompressOnly(ZstdImplementation? zstd = null)
    {
        long total = 0;
        foreach (StoredBasket b in _baskets)
        {
            if (b.Compressed)
            {
                RootDecompressor.Decompress(b.Stored, _scratch.AsSpan(0, b.ObjectLength), _file.Path, b.Structure, b.Offset, zstd);
                total += b.ObjectLength;
            }
        }
        return total;
    }

    /// <summary>The reader's basket loading alone (positional read, key, decompression, entry offsets) of the same baskets, without decoding values.</summary>
    public long LoadBasketsOnly()
    {
        long total = 0;
        foreach (StoredBasket b in _baskets)
        {
            using var data = BasketData.Load(_file.Source, _file.Path, b.Branch, b.Seek, b.Nbytes, 0, b.Entries);
            total += data.Length;
        }
        return total;
    }

    /// <summary>Positional reads of the same baskets' bytes (key included) from the file, nothing else: the I/O floor (page cache).</summary>
    public long FileReadsOnly()
    {
        long total = 0;
        foreach (StoredBasket b in _baskets)
        {
            _file.Source.Read(b.Seek, _scratch.AsSpan(0, b.Nbytes), b.Structure);
            total += b.Nbytes;
        }
        return total;
    }

    public void Dispose() => _file.Dispose();

    public override string ToString() => Label;

    /// <summary>A free basket's record: the bytes after its key as stored in the file, and what the reader needs to load it.</summary>
    private sealed record StoredBasket(string Branch, string Structure, long Seek, int Nbytes, long Offset, byte[] Stored, int ObjectLength, int Entries)
    {
        public bool Compressed => Stored.Length != ObjectLength;

        public static StoredBasket Load(RootFile file, string branch, long seek, int nbytes)
        {
            string structure = $"TBasket of branch {branch}";
            byte[] raw = new byte[nbytes];
            file.Source.Read(seek, raw, structure);
            var r = new BigEndianReader(raw, file.Path, structure, seek);
            var key = KeyHeader.Parse(ref r, seek, file.Source.Length);
            r.ReadInt16(); // fVersion
            r.ReadInt32(); // fBufferSize
            r.ReadInt32(); // fNevBufSize
            int entries = r.ReadInt32(); // fNevBuf
            return new StoredBasket(branch, structure, seek, nbytes, seek + key.KeyLen, raw[key.KeyLen..], key.ObjLen, entries);
        }
    }
}
