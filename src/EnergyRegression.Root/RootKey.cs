using EnergyRegression.Root.Format;

namespace EnergyRegression.Root;

/// <summary>An entry of a directory's keys list: one stored object (TKey header, see io/doc/TFile/key.md).</summary>
public sealed class RootKey
{
    internal RootKey(KeyHeader header) => Header = header;

    internal KeyHeader Header { get; }

    /// <summary>The object's name.</summary>
    public string Name => Header.Name;

    /// <summary>The object's title.</summary>
    public string Title => Header.Title;

    /// <summary>The object's class, e.g. "TTree", "TDirectory".</summary>
    public string ClassName => Header.ClassName;

    /// <summary>The cycle number (the N of <c>name;N</c>).</summary>
    public short Cycle => Header.Cycle;

    /// <summary>Uncompressed size of the object (fObjlen).</summary>
    public int ObjectLength => Header.ObjLen;

    /// <summary>Size of the object on disk, without the key header (fNbytes − fKeylen).</summary>
    public int CompressedLength => Header.CompressedLength;

    /// <summary>File offset of the object's key (fSeekKey).</summary>
    public long Seek => Header.SeekKey;

    /// <inheritdoc />
    public override string ToString() => $"{Name};{Cycle} ({ClassName})";
}

/// <summary>A class description from the file's streamer-info list (TStreamerInfo).</summary>
public sealed class RootStreamerInfo
{
    internal RootStreamerInfo(string className, int classVersion, uint checkSum, IReadOnlyList<RootStreamerElement> elements)
    {
        ClassName = className;
        ClassVersion = classVersion;
        CheckSum = checkSum;
        Elements = elements;
    }

    /// <summary>The class's bases and members, in streaming order (fElements).</summary>
    public IReadOnlyList<RootStreamerElement> Elements { get; }

    /// <summary>The class described, e.g. "TTree" or "vector&lt;float&gt;".</summary>
    public string ClassName { get; }

    /// <summary>The class version the description applies to.</summary>
    public int ClassVersion { get; }

    /// <summary>The class checksum.</summary>
    public uint CheckSum { get; }

    /// <inheritdoc />
    public override string ToString() => $"{ClassName} v{ClassVersion}";
}
