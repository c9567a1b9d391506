using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;
using EnergyRegression.Root.Streamers;

namespace EnergyRegression.Root;

/// <summary>
/// A ROOT file opened for reading. Thread-safe: reads are positional, so several trees and branches
/// can be read at once. Dispose it to close the file.
/// </summary>
/// <example>
/// <code>
/// using RootFile file = RootFile.Open("events.root");
/// RootTree tree = file.GetTree("Events");
/// RootArray pt = tree.GetBranch("Electron_pt").Read(0, tree.Entries);
/// </code>
/// </example>
public sealed class RootFile : IDisposable
{
    /// <summary>Largest object this reader will allocate for (fObjlen).</summary>
    internal const int MaxObjectLength = 1 << 30;

    private readonly Lazy<IReadOnlyList<RootStreamerInfo>> _streamerInfos;
    private readonly Lazy<StreamerReaders> _readers;

    private RootFile(IByteSource source)
    {
        Source = source;
        Path = source.Name;
        byte[] head = new byte[(int)Math.Min(FileHeader.MaxSize, source.Length)];
        source.Read(0, head, "TFile header");
        Header = FileHeader.Parse(head, Path, source.Length);
        Root = RootDirectory.LoadTop(this, Header);
        _streamerInfos = new Lazy<IReadOnlyList<RootStreamerInfo>>(ReadStreamerInfos);
        _readers = new Lazy<StreamerReaders>(() => new StreamerReaders(StreamerInfosOrWhyNot()));
    }

    /// <summary>The streamer-driven readers of this file's classes (built on first use).</summary>
    internal StreamerReaders Readers => _readers.Value;

    private IReadOnlyList<RootStreamerInfo> StreamerInfosOrWhyNot()
    {
        try
        {
            return StreamerInfos;
        }
        catch (RootFormatException e)
        {
            throw new NotSupportedException($"unsupported: the file's streamer-info list cannot be read ({e.Detail})", e);
        }
    }

    internal IByteSource Source { get; }

    internal FileHeader Header { get; }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>fVersion from the header: the ROOT version that wrote the file (e.g. 62004), plus 1000000 for files with 64-bit seeks.</summary>
    public int Version => Header.Version;

    /// <summary>The top directory.</summary>
    public RootDirectory Root { get; }

    /// <summary>The classes described in the file's streamer-info list (read on first use).</summary>
    public IReadOnlyList<RootStreamerInfo> StreamerInfos => _streamerInfos.Value;

    /// <summary>Opens a ROOT file. Throws <see cref="RootFormatException"/> when it is not a readable ROOT file.</summary>
    public static RootFile Open(string path)
    {
        var source = new FileByteSource(path);
        try
        {
            return new RootFile(source);
        }
        catch
        {
            source.Dispose();
            throw;
        }
    }

    /// <summary>Opens an in-memory image of a ROOT file (tests).</summary>
    internal static RootFile Open(byte[] image, string name = "<memory>") => new(new MemoryByteSource(name, image));

    /// <summary>
    /// The tree at <paramref name="path"/>: <c>name</c>, <c>dir/sub/name</c>, each part optionally
    /// <c>;cycle</c> (without a cycle the highest is used).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such key, or it is not a TTree.</exception>
    public RootTree GetTree(string path)
    {
        RootKey key = FindKey(path);
        if (key.ClassName != "TTree")
        {
            throw new KeyNotFoundException($"{Path}: '{path}' is a {key.ClassName}, not a TTree");
        }
        string structure = $"TTree {key.Name}";
        byte[] data = ReadObject(key.Header, structure);
        var r = new BigEndianReader(data, Path, structure, key.Seek, key.Header.KeyLen, decompressed: true);
        TreeModel model = new ObjectParser(StreamerInfoOrNull).ReadTree(ref r);
        return new RootTree(this, model);
    }

    /// <summary>
    /// The RNTuple at <paramref name="path"/> (<c>name</c> or <c>dir/sub/name</c>, each part optionally <c>;cycle</c>):
    /// its anchor, header and footer are read and checked (docs/formats/rntuple.md).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such key, or it is not a ROOT::RNTuple.</exception>
    /// <exception cref="NotSupportedException">The RNTuple uses format features this reader does not know.</exception>
    public RootNtuple GetNtuple(string path)
    {
        RootKey key = FindKey(path);
        if (!IsNtupleClass(key.ClassName))
        {
            throw new KeyNotFoundException($"{Path}: '{path}' is a {key.ClassName}, not an RNTuple");
        }
        return RootNtuple.Open(this, key);
    }

    /// <summary>Whether a key of class <paramref name="className"/> is an RNTuple anchor.</summary>
    public static bool IsNtupleClass(string className) => className == RNTuple.Format.Anchor.ClassName;

    /// <summary>The key at <paramref name="path"/>: directories walked, the last part's highest cycle unless given.</summary>
    /// <exception cref="KeyNotFoundException">No such key or directory.</exception>
    public RootKey FindKey(string path)
    {
        string[] parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new KeyNotFoundException($"{Path}: empty object path");
        }
        RootDirectory dir = Root;
        for (int i = 0; i < parts.Length - 1; i++)
        {
            dir = dir.GetDirectory(parts[i]);
        }
        return dir.FindKey(parts[^1]) ?? throw new KeyNotFoundException($"{Path}: no object '{path}'");
    }

    /// <summary>Reads the object behind a key and returns its uncompressed bytes (exactly fObjlen).</summary>
    internal byte[] ReadObject(KeyHeader key, string structure)
    {
        if (key.ObjLen > MaxObjectLength)
        {
            throw new RootFormatException(Path, structure, key.SeekKey, $"object length {key.ObjLen} exceeds the reader's limit");
        }
        byte[] stored = new byte[key.CompressedLength];
        Source.Read(key.SeekKey + key.KeyLen, stored, structure);
        if (key.CompressedLength == key.ObjLen)
        {
            return stored;
        }
        RootDecompressor.ValidateBlocks(stored, key.ObjLen, Path, structure, key.SeekKey + key.KeyLen);
        byte[] data = new byte[key.ObjLen];
        RootDecompressor.Decompress(stored, data, Path, structure, key.SeekKey + key.KeyLen);
        return data;
    }

    /// <summary>Reads the key header at <paramref name="seek"/>.</summary>
    internal KeyHeader ReadKey(long seek, string structure)
    {
        Span<byte> head = stackalloc byte[(int)Math.Clamp(Source.Length - seek, 0, 512)];
        Source.Read(seek, head, structure);
        var r = new BigEndianReader(head, Path, structure, seek);
        var key = KeyHeader.Parse(ref r, seek, Source.Length);
        if (key.SeekKey != seek)
        {
            // Every TKey records its own position (TKey::Create sets fSeekKey before the key is written).
            throw new RootFormatException(Path, structure, seek, $"the key read here says it is at fSeekKey {key.SeekKey}: wrong seek pointer");
        }
        return key;
    }

    private List<RootStreamerInfo> ReadStreamerInfos()
    {
        const string structure = "TStreamerInfo list";
        if (Header.SeekInfo <= 0)
        {
            return [];
        }
        if (Header.SeekInfo >= Source.Length)
        {
            throw new RootFormatException(Path, structure, Header.SeekInfo, "fSeekInfo points outside the file");
        }
        KeyHeader key = ReadKey(Header.SeekInfo, structure);
        byte[] data = ReadObject(key, structure);
        var r = new BigEndianReader(data, Path, structure, key.SeekKey, key.KeyLen, decompressed: true);
        List<object?> items = new ObjectParser().ReadList(ref r);
        return [.. items.OfType<StreamerInfoModel>().Select(s => new RootStreamerInfo(s.ClassName, s.ClassVersion, s.CheckSum, s.Elements))];
    }

    /// <summary>
    /// The streamer info of <paramref name="className"/> (the highest class version when there are several), or
    /// null with the reason when the file has none or its streamer-info list cannot be read.
    /// </summary>
    internal RootStreamerInfo? FindStreamerInfo(string className, int version, out string? problem)
    {
        problem = null;
        try
        {
            RootStreamerInfo? found = StreamerInfos.FirstOrDefault(s => s.ClassName == className && s.ClassVersion == version)
                ?? StreamerInfos.Where(s => s.ClassName == className).MaxBy(s => s.ClassVersion);
            if (found is null)
            {
                problem = $"the file has no streamer info for class {className}";
            }
            return found;
        }
        catch (RootFormatException e)
        {
            problem = $"the streamer-info list cannot be read ({e.Message})";
            return null;
        }
    }

    /// <summary>The streamer info of a class version for reading TTree/TBranch versions by it; null when absent or unreadable.</summary>
    private RootStreamerInfo? StreamerInfoOrNull(string className, int version)
    {
        try
        {
            return StreamerInfos.FirstOrDefault(s => s.ClassName == className && s.ClassVersion == version);
        }
        catch (RootFormatException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Source.Dispose();
}
