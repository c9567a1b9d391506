using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Writing;

namespace EnergyRegression.Root;

/// <summary>
/// Writes a ROOT file with one or more TTrees (see docs/formats/root.md, "Writing") and RNTuples (docs/formats/rntuple.md). The file is written
/// under <c>PATH.partial</c> and renamed to PATH by <see cref="Commit"/>; disposing without committing
/// deletes it, so a failed or killed run never leaves a file that looks complete under the final name.
/// Every seek is 64-bit (a "big" file layout), so files beyond 2 GB need nothing special.
/// </summary>
/// <example>
/// <code>
/// using RootFileWriter file = RootFileWriter.Create("out.root", new RootWriteOptions(RootCompression.Zstd, 5));
/// RootTreeWriter tree = file.CreateTree("Events");
/// tree.AddJaggedBranch("Electron_energyCalib", typeof(float), counter: "nElectron");
/// tree.Append(2, new Dictionary&lt;string, Array&gt; { ["nElectron"] = new[] { 1, 0 }, ["Electron_energyCalib"] = new[] { 45.2f } });
/// file.Commit();
/// </code>
/// </example>
public sealed class RootFileWriter : IDisposable
{
    /// <summary>fBEGIN: the first record follows a 100-byte header.</summary>
    internal const int Begin = 100;

    /// <summary>The ROOT version this writer's layouts follow (6.30/02), in the header as 1000000 + version (64-bit seeks).</summary>
    private const int WriterRootVersion = 63002;

    private readonly FileStream _stream;
    private readonly string _partialPath;
    private readonly List<RootTreeWriter> _trees = [];
    private readonly List<RootNtupleWriter> _ntuples = [];
    private readonly uint _datime;
    private readonly byte[] _uuid;
    private readonly int _topRecordLength;
    private bool _committed;
    private bool _disposed;

    private RootFileWriter(string path, RootWriteOptions options)
    {
        Path = path;
        Options = options;
        _partialPath = path + ".partial";
        _datime = Datime(DateTime.UtcNow);
        _uuid = Guid.NewGuid().ToByteArray();
        _stream = new FileStream(_partialPath, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1 << 16);
        _topRecordLength = TopRecord(0, 0).Length;
        End = Begin + _topRecordLength;
        _stream.Position = End;
    }

    /// <summary>The final path (the file is at <c>Path + ".partial"</c> until <see cref="Commit"/>).</summary>
    public string Path { get; }

    /// <summary>Compression and basket size.</summary>
    public RootWriteOptions Options { get; }

    /// <summary>The next free byte of the file.</summary>
    internal long End { get; private set; }

    internal uint DatimeNow => _datime;

    /// <summary>Creates (or replaces, at <see cref="Commit"/>) a ROOT file.</summary>
    public static RootFileWriter Create(string path, RootWriteOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new RootWriteOptions();
        options.Validate();
        return new RootFileWriter(path, options);
    }

    /// <summary>Adds a tree at the top of the file; define its branches, then <see cref="RootTreeWriter.Append"/> entries.</summary>
    public RootTreeWriter CreateTree(string name, string title = "")
    {
        CheckNewName(name, "tree");
        var tree = new RootTreeWriter(this, name, title);
        _trees.Add(tree);
        return tree;
    }

    /// <summary>
    /// Adds an RNTuple at the top of the file (docs/formats/rntuple.md, "Writing"); define its fields, then
    /// <see cref="RootNtupleWriter.Append"/> entries. Its pages use this file's compression.
    /// </summary>
    public RootNtupleWriter CreateNtuple(string name, string description = "", RootNtupleOptions? options = null)
    {
        CheckNewName(name, "RNTuple");
        options ??= new RootNtupleOptions();
        options.Validate();
        var ntuple = new RootNtupleWriter(this, name, description, options);
        _ntuples.Add(ntuple);
        return ntuple;
    }

    private void CheckNewName(string name, string what)
    {
        ThrowIfDone();
        if (string.IsNullOrEmpty(name) || name.Contains('/', StringComparison.Ordinal) || name.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid {what} name", nameof(name));
        }
        if (_trees.Any(t => t.Name == name) || _ntuples.Any(t => t.Name == name))
        {
            throw new ArgumentException($"the file already has an object '{name}'", nameof(name));
        }
    }

    /// <summary>The largest key an RNTuple blob may take (the anchor's fMaxKeySize; ROOT's default, 1 GiB).</summary>
    internal const long MaxKeySize = 1L << 30;

    /// <summary>Who wrote the file, as RNTuple headers name it.</summary>
    internal static string WriterName => $"energyreg {typeof(RootFileWriter).Assembly.GetName().Version?.ToString(3)} (EnergyRegression.Root)";

    /// <summary>Appends an invisible "RBlob" key (not in any keys list) holding <paramref name="data"/>; returns the offset of the data.</summary>
    internal long WriteBlob(ReadOnlySpan<byte> data, int objLen)
    {
        if (data.Length > MaxKeySize)
        {
            throw new InvalidOperationException($"an RNTuple blob of {data.Length} bytes exceeds the maximum key size");
        }
        int keyLen = KeyLength("RBlob", "", "");
        var key = new BigEndianWriter(keyLen);
        WriteKeyHeader(key, checked(keyLen + data.Length), objLen, (short)keyLen, 1, End, Begin, "RBlob", "", "");
        Append(key.Written);
        long offset = End;
        Append(data);
        return offset;
    }

    /// <summary>
    /// Flushes every tree, writes the trees, the streamer-info list, the keys list, the free-segments record
    /// and the header, then renames the file to <see cref="Path"/>.
    /// </summary>
    public void Commit()
    {
        ThrowIfDone();
        var keys = new List<byte[]>();
        foreach (RootTreeWriter tree in _trees)
        {
            tree.FlushAll();
            tree.WriteCopies();
            keys.Add(WriteObjectRecord("TTree", tree.Name, tree.Title, w => tree.Serialize(w), out _));
        }
        foreach (RootNtupleWriter ntuple in _ntuples)
        {
            byte[] anchor = ntuple.Commit().Serialize();
            WriteRecord(RNTuple.Format.Anchor.ClassName, ntuple.Name, "", anchor, seekPdir: Begin, cycle: 1, compress: false, out byte[] anchorKey);
            keys.Add(anchorKey);
        }
        byte[] infoKey = WriteObjectRecord("TList", "StreamerInfo", "Doubly linked list",
            w => w.WriteList(StreamerInfos(), (x, info) => x.WriteStreamerInfo(info)), out (long Seek, int Nbytes) info);
        keys.Add(infoKey);

        // Keys list: a key, then the number of keys and each key's header.
        long seekKeys = End;
        var list = new BigEndianWriter();
        list.WriteInt32(keys.Count);
        foreach (byte[] k in keys)
        {
            list.WriteBytes(k);
        }
        int nbytesKeys = WriteRecord("TFile", FileName, "", list.Written, seekPdir: Begin, cycle: 1, compress: false, out _);

        // Free segments: one TFree (v1001, 64-bit) from the end of the file on.
        long seekFree = End;
        int freeKeyLength = KeyLength("TFile", FileName, "");
        int nbytesFree = freeKeyLength + 2 + 8 + 8;
        long end = seekFree + nbytesFree;
        var free = new BigEndianWriter();
        free.WriteInt16(1001);
        free.WriteInt64(end);
        free.WriteInt64(Math.Max(2_000_000_000L, end + 1_000_000_000L));
        WriteRecord("TFile", FileName, "", free.Written, seekPdir: Begin, cycle: 1, compress: false, out _);

        _stream.Position = 0;
        _stream.Write(Header(end, seekFree, nbytesFree, info.Seek, info.Nbytes));
        _stream.Position = Begin;
        _stream.Write(TopRecord(seekKeys, nbytesKeys));
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_partialPath, Path, overwrite: true);
        _committed = true;
    }

    /// <summary>The catalog's classes, then each vector class the trees use (once).</summary>
    private List<StreamerInfoModel> StreamerInfos()
    {
        var list = new List<StreamerInfoModel>(StreamerCatalog.Classes);
        if (_ntuples.Count > 0)
        {
            list.Add(StreamerCatalog.NtupleAnchor);
        }
        foreach (StreamerInfoModel extra in _trees.SelectMany(t => t.ExtraStreamerInfos()))
        {
            if (!list.Any(i => i.ClassName == extra.ClassName))
            {
                list.Add(extra);
            }
        }
        return list;
    }

    /// <summary>Closes the file; without <see cref="Commit"/> the partial file is deleted.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        if (!_committed)
        {
            _stream.Dispose();
            File.Delete(_partialPath);
        }
    }

    private void ThrowIfDone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException($"{Path} is already committed");
        }
    }

    private string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>Bytes of a 64-bit TKey header with these strings.</summary>
    internal static int KeyLength(string className, string name, string title) =>
        4 + 2 + 4 + 4 + 2 + 2 + 8 + 8 + BigEndianWriter.TStringLength(className) + BigEndianWriter.TStringLength(name) + BigEndianWriter.TStringLength(title);

    /// <summary>A 64-bit TKey header (version 1004; TKey::Streamer): fNbytes … fTitle.</summary>
    internal void WriteKeyHeader(BigEndianWriter w, int nbytes, int objLen, short keyLen, short cycle, long seekKey, long seekPdir,
        string className, string name, string title)
    {
        w.WriteInt32(nbytes);
        w.WriteInt16(KeyHeader.BigKeyVersion + 4);
        w.WriteInt32(objLen);
        w.WriteUInt32(_datime);
        w.WriteInt16(keyLen);
        w.WriteInt16(cycle);
        w.WriteInt64(seekKey);
        w.WriteInt64(seekPdir);
        w.WriteTString(className);
        w.WriteTString(name);
        w.WriteTString(title);
    }

    /// <summary>Appends a record — key header then the (possibly compressed) object — and returns its fNbytes.</summary>
    internal int WriteRecord(string className, string name, string title, ReadOnlySpan<byte> obj, long seekPdir, short cycle, bool compress, out byte[] keyHeader)
    {
        int keyLen = KeyLength(className, name, title);
        byte[]? packed = compress ? RootCompressor.Compress(obj, Options.Compression, Options.Level) : null;
        ReadOnlySpan<byte> stored = packed ?? obj;
        int nbytes = checked(keyLen + stored.Length);
        var key = new BigEndianWriter(keyLen);
        WriteKeyHeader(key, nbytes, obj.Length, (short)keyLen, cycle, End, seekPdir, className, name, title);
        keyHeader = key.Written.ToArray();
        Append(keyHeader);
        Append(stored);
        return nbytes;
    }

    /// <summary>Leaves <paramref name="bytes"/> unwritten (a hole in a sparse file): lets tests put records beyond 4 GB cheaply.</summary>
    internal void LeaveGap(long bytes) => End += bytes;

    /// <summary>Appends raw bytes at the end of the file.</summary>
    internal void Append(ReadOnlySpan<byte> bytes)
    {
        _stream.Position = End;
        _stream.Write(bytes);
        End += bytes.Length;
    }

    /// <summary>Serializes an object record (its buffer's map positions count the key header) and appends it, compressed.</summary>
    private byte[] WriteObjectRecord(string className, string name, string title, Action<ObjectWriter> body, out (long Seek, int Nbytes) where)
    {
        var w = new ObjectWriter(KeyLength(className, name, title));
        body(w);
        long seek = End;
        int nbytes = WriteRecord(className, name, title, w.Buffer.Written, seekPdir: Begin, cycle: 1, compress: true, out byte[] header);
        where = (seek, nbytes);
        return header;
    }

    /// <summary>
    /// The record at fBEGIN: the TFile key, fName and fTitle (fNbytesName ends here), then the top TDirectory
    /// (v1005, 64-bit: fDatimeC, fDatimeM, fNbytesKeys, fNbytesName, fSeekDir, fSeekParent, fSeekKeys, fUUID).
    /// </summary>
    private byte[] TopRecord(long seekKeys, int nbytesKeys)
    {
        string name = FileName;
        int keyLen = KeyLength("TFile", name, "");
        int nbytesName = keyLen + BigEndianWriter.TStringLength(name) + BigEndianWriter.TStringLength("");
        const int directoryLength = 2 + 4 + 4 + 4 + 4 + 8 + 8 + 8 + 2 + 16;
        int total = nbytesName + directoryLength;
        var w = new BigEndianWriter(total);
        WriteKeyHeader(w, total, total - keyLen, (short)keyLen, 1, Begin, 0, "TFile", name, "");
        w.WriteTString(name);
        w.WriteTString("");
        w.WriteInt16(1005);
        w.WriteUInt32(_datime);
        w.WriteUInt32(_datime);
        w.WriteInt32(nbytesKeys);
        w.WriteInt32(nbytesName);
        w.WriteInt64(Begin);
        w.WriteInt64(0);
        w.WriteInt64(seekKeys);
        w.WriteInt16(1);
        w.WriteBytes(_uuid);
        return w.Written.ToArray();
    }

    /// <summary>The 64-bit file header (io/doc/TFile/header.md), padded to fBEGIN.</summary>
    private byte[] Header(long end, long seekFree, int nbytesFree, long seekInfo, int nbytesInfo)
    {
        var w = new BigEndianWriter(Begin);
        w.WriteBytes("root"u8);
        w.WriteInt32(FileHeader.BigFileVersion + WriterRootVersion);
        w.WriteInt32(Begin);
        w.WriteInt64(end);
        w.WriteInt64(seekFree);
        w.WriteInt32(nbytesFree);
        w.WriteInt32(1); // nfree
        w.WriteInt32(KeyLength("TFile", FileName, "") + BigEndianWriter.TStringLength(FileName) + BigEndianWriter.TStringLength(""));
        w.WriteByte(8); // fUnits: 64-bit seeks
        w.WriteInt32(Options.CompressSetting);
        w.WriteInt64(seekInfo);
        w.WriteInt32(nbytesInfo);
        w.WriteInt16(1);
        w.WriteBytes(_uuid);
        byte[] header = new byte[Begin];
        w.Written.CopyTo(header);
        return header;
    }

    /// <summary>TDatime: (year − 1995) &lt;&lt; 26 | month &lt;&lt; 22 | day &lt;&lt; 17 | hour &lt;&lt; 12 | minute &lt;&lt; 6 | second.</summary>
    private static uint Datime(DateTime t) =>
        (uint)(((t.Year - 1995) << 26) | (t.Month << 22) | (t.Day << 17) | (t.Hour << 12) | (t.Minute << 6) | t.Second);
}
