using System.IO.Hashing;
using System.Buffers.Binary;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.RNTuple.Format;

namespace EnergyRegression.Root.RNTuple.Writing;

/// <summary>
/// One physical column being written: its pending elements, cut into pages of at most the page size that are
/// encoded, compressed (a page that does not shrink is stored as it is, as ROOT does), written as "RBlob" keys with
/// their XXH3-64 after them, and the page list of each committed cluster.
/// </summary>
internal sealed class ColumnWriter
{
    private Array _pending;
    private int _count;
    private readonly List<PageDescriptor> _pages = [];
    private long _clusterFirstElement;

    public ColumnWriter(int id, ColumnType type, Type elementType, int fieldId)
    {
        Id = id;
        Type = type;
        FieldId = fieldId;
        Bits = ColumnTypes.ValidBits(type).Min;
        _pending = Array.CreateInstance(elementType, 1024);
    }

    public int Id { get; }

    public ColumnType Type { get; }

    public int Bits { get; }

    public int FieldId { get; }

    /// <summary>Elements written over all clusters, pending ones included.</summary>
    public long Elements { get; private set; }

    /// <summary>Uncompressed bytes waiting to become pages.</summary>
    public long PendingBytes => ColumnTypes.PageBytes(_count, Bits);

    /// <summary>The page lists of the committed clusters.</summary>
    public List<ColumnPages> Clusters { get; } = [];

    /// <summary>Uncompressed and stored bytes of the pages written so far (for cluster sizing).</summary>
    public long WrittenUncompressed { get; private set; }

    public long WrittenStored { get; private set; }

    public void Append(Array values, int start, int count)
    {
        if (_count + count > _pending.Length)
        {
            var grown = Array.CreateInstance(_pending.GetType().GetElementType()!, Math.Max(_pending.Length * 2, _count + count));
            Array.Copy(_pending, grown, _count);
            _pending = grown;
        }
        Array.Copy(values, start, _pending, _count, count);
        _count += count;
        Elements += count;
    }

    /// <summary>The pending elements cut into pages of at most <paramref name="pageBytes"/> bytes (the last may be smaller), each encoded and compressed.</summary>
    public List<PreparedPage> Prepare(RootWriteOptions options, int pageBytes, bool all)
    {
        int perPage = (int)Math.Max(1, pageBytes * 8L / Bits);
        var pages = new List<PreparedPage>();
        int at = 0;
        while (_count - at >= perPage || (all && at < _count))
        {
            int n = Math.Min(perPage, _count - at);
            byte[] page = PageEncoder.Encode(Type, _pending, at, n);
            byte[] stored = RootCompressor.Compress(page, options.Compression, options.Level) ?? page;
            pages.Add(new PreparedPage(n, stored, page.Length));
            at += n;
        }
        if (at > 0)
        {
            Array.Copy(_pending, at, _pending, 0, _count - at);
            _count -= at;
        }
        return pages;
    }

    /// <summary>Writes prepared pages: each an RBlob key holding the page and its checksum.</summary>
    public void Write(RootFileWriter file, List<PreparedPage> pages)
    {
        foreach (PreparedPage p in pages)
        {
            byte[] blob = new byte[p.Stored.Length + 8];
            p.Stored.CopyTo(blob, 0);
            BinaryPrimitives.WriteUInt64LittleEndian(blob.AsSpan(p.Stored.Length), XxHash3.HashToUInt64(p.Stored));
            long offset = file.WriteBlob(blob, p.UncompressedBytes + 8);
            _pages.Add(new PageDescriptor(p.Elements, new Locator(offset, p.Stored.Length), HasChecksum: true));
            WrittenUncompressed += p.UncompressedBytes;
            WrittenStored += p.Stored.Length;
        }
    }

    /// <summary>Ends the cluster: its pages (the caller wrote the pending ones) become the cluster's page list.</summary>
    public void CommitCluster(int compressionSettings)
    {
        Clusters.Add(new ColumnPages([.. _pages], _clusterFirstElement, compressionSettings, Suppressed: false));
        _pages.Clear();
        _clusterFirstElement = Elements;
    }

    /// <summary>A page ready to be written: its elements, its stored (possibly compressed) bytes and its uncompressed size.</summary>
    internal sealed record PreparedPage(int Elements, byte[] Stored, int UncompressedBytes);
}
