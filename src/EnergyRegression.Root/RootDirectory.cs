using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root;

/// <summary>A TDirectory: a named list of keys, possibly holding subdirectories.</summary>
public sealed class RootDirectory
{
    private const int MaxKeys = 1 << 22;
    private readonly RootFile _file;
    private readonly Dictionary<long, RootDirectory> _subdirectories = [];

    private RootDirectory(RootFile file, string name, IReadOnlyList<RootKey> keys)
    {
        _file = file;
        Name = name;
        Keys = keys;
    }

    /// <summary>The directory's name (the file name for the top directory).</summary>
    public string Name { get; }

    /// <summary>All keys of the directory, every cycle, in file order.</summary>
    public IReadOnlyList<RootKey> Keys { get; }

    /// <summary>Finds a key by <c>name</c> (highest cycle) or <c>name;cycle</c>; null when absent.</summary>
    public RootKey? FindKey(string nameWithCycle)
    {
        string name = nameWithCycle;
        short? cycle = null;
        int semi = nameWithCycle.LastIndexOf(';');
        if (semi >= 0 && short.TryParse(nameWithCycle.AsSpan(semi + 1), out short c))
        {
            name = nameWithCycle[..semi];
            cycle = c;
        }
        RootKey? best = null;
        foreach (RootKey k in Keys)
        {
            if (k.Name == name && (cycle is null ? best is null || k.Cycle > best.Cycle : k.Cycle == cycle))
            {
                best = k;
            }
        }
        return best;
    }

    /// <summary>The subdirectory <paramref name="name"/> (optionally <c>name;cycle</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such key, or it is not a directory.</exception>
    public RootDirectory GetDirectory(string name)
    {
        RootKey key = FindKey(name) ?? throw new KeyNotFoundException($"{_file.Path}: no directory '{name}' in '{Name}'");
        if (key.ClassName is not ("TDirectory" or "TDirectoryFile"))
        {
            throw new KeyNotFoundException($"{_file.Path}: '{name}' in '{Name}' is a {key.ClassName}, not a directory");
        }
        lock (_subdirectories)
        {
            if (!_subdirectories.TryGetValue(key.Seek, out RootDirectory? dir))
            {
                byte[] record = _file.ReadObject(key.Header, $"TDirectory {key.Name}");
                dir = Load(_file, key.Name, record, key.Seek + key.Header.KeyLen, decompressed: key.ObjectLength != key.CompressedLength, key.Seek);
                _subdirectories[key.Seek] = dir;
            }
            return dir;
        }
    }

    internal static RootDirectory LoadTop(RootFile file, FileHeader header)
    {
        long at = header.Begin + header.NbytesName;
        int size = (int)Math.Min(64, file.Source.Length - Math.Min(at, file.Source.Length));
        byte[] record = new byte[size];
        file.Source.Read(at, record, "top TDirectory");
        return Load(file, System.IO.Path.GetFileName(file.Path), record, at, decompressed: false, header.Begin);
    }

    /// <summary>
    /// The TDirectory record (per TDirectoryFile::Streamer, io/doc/TFile/directory.md): fVersion,
    /// fDatimeC, fDatimeM, fNbytesKeys, fNbytesName, then fSeekDir, fSeekParent, fSeekKeys (int32, or
    /// int64 when fVersion &gt; 1000). The keys list at fSeekKeys is a TKey header followed by an int32
    /// count and that many TKey headers. fSeekDir is the position of the directory's own key (fBEGIN for the
    /// top directory), which tells a directory record from whatever a wrong seek pointer lands on.
    /// </summary>
    internal static RootDirectory Load(RootFile file, string name, byte[] record, long offset, bool decompressed, long expectedSeekDir)
    {
        var r = new BigEndianReader(record, file.Path, $"TDirectory {name}", offset, 0, decompressed);
        short version = r.ReadInt16();
        r.ReadUInt32();
        r.ReadUInt32();
        int nbytesKeys = r.ReadInt32();
        r.ReadInt32(); // fNbytesName
        bool big = version > 1000;
        long seekDir = big ? r.ReadInt64() : r.ReadInt32();
        _ = big ? r.ReadInt64() : r.ReadInt32(); // fSeekParent
        long seekKeys = big ? r.ReadInt64() : r.ReadInt32();
        if (seekDir != expectedSeekDir)
        {
            throw r.Error($"fSeekDir is {seekDir}, but the directory's key is at {expectedSeekDir}: not a directory record (wrong seek pointer?)");
        }
        if (seekKeys == 0)
        {
            return new RootDirectory(file, name, []);
        }
        if (nbytesKeys < KeyHeader.MinSize + 4 || seekKeys < 0 || seekKeys > file.Source.Length - nbytesKeys)
        {
            throw r.Error($"keys list (fSeekKeys {seekKeys}, fNbytesKeys {nbytesKeys}) lies outside the file ({file.Source.Length} bytes)");
        }
        byte[] list = new byte[nbytesKeys];
        file.Source.Read(seekKeys, list, $"keys list of {name}");
        var k = new BigEndianReader(list, file.Path, $"keys list of {name}", seekKeys);
        var listKey = KeyHeader.Parse(ref k, seekKeys, file.Source.Length);
        k.Seek(listKey.KeyLen);
        int n = k.CheckCount(k.ReadInt32(), KeyHeader.MinSize, "keys", MaxKeys);
        var keys = new List<RootKey>(n);
        for (int i = 0; i < n; i++)
        {
            k.Structure = $"TKey {i} of {name}";
            int start = k.Position;
            var h = KeyHeader.Parse(ref k, 0, long.MaxValue, lenientLength: true);
            // The next header follows this one's fields (a key whose fKeylen is shorter than its header, as some
            // writers leave it, is read by its fields).
            int next = start + Math.Max(h.KeyLen, k.Position - start);
            k.Seek(next <= k.Length ? next : throw k.Error($"fKeylen {h.KeyLen} runs past the keys list"));
            if (h.SeekKey < file.Header.Begin || h.SeekKey > file.Source.Length - h.Nbytes)
            {
                throw k.Error($"key '{h.Name}' points outside the file (fSeekKey {h.SeekKey}, fNbytes {h.Nbytes})");
            }
            keys.Add(new RootKey(h));
        }
        return new RootDirectory(file, name, keys);
    }
}
