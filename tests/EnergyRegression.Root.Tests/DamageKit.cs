using System.Buffers.Binary;
using System.Collections;
using System.IO.Compression;
using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Tests;

/// <summary>
/// Finds ROOT structures inside a file image with the library's own parsers (so that damage lands exactly on
/// the field under test), and patches them.
/// </summary>
internal static class DamageKit
{
    /// <summary>The TTree record of <paramref name="treeKey"/>, parsed the way <see cref="RootFile.GetTree"/> does.</summary>
    public static TreeModel ParseTree(RootFile f, string treeKey)
    {
        RootKey key = f.Root.FindKey(treeKey) ?? throw new KeyNotFoundException(treeKey);
        byte[] data = f.ReadObject(key.Header, $"TTree {key.Name}");
        var r = new BigEndianReader(data, f.Path, $"TTree {key.Name}", key.Seek, key.Header.KeyLen, decompressed: true);
        return new ObjectParser().ReadTree(ref r);
    }

    public static BranchModel FindBranch(IEnumerable<BranchModel> branches, string name) =>
        AllBranches(branches).FirstOrDefault(b => b.Name == name) ?? throw new KeyNotFoundException(name);

    /// <summary>
    /// Byte positions of a basket's fields, from <see cref="Start"/> (the first byte of its TKey): the TKey
    /// fields (TKey::Streamer), the three TString length bytes, then the TBasket fields (TBasket::Streamer).
    /// </summary>
    public sealed record BasketHeader(int Start, bool BigKey, int Nbytes, int ObjLen, int KeyLen, int ClassNameAt, int NameAt, int TitleAt,
        int BasketAt, int NevBufSize, int NevBuf, int Last)
    {
        public int NbytesAt => Start;
        public int ObjLenAt => Start + 6;
        public int KeyLenAt => Start + 14;
        public int BufferSizeAt => BasketAt + 2;
        public int NevBufSizeAt => BasketAt + 6;
        public int NevBufAt => BasketAt + 10;
        public int LastAt => BasketAt + 14;

        /// <summary>First byte after the key (free baskets: the stored payload, a ROOT compression block header when compressed).</summary>
        public int PayloadAt => Start + KeyLen;
    }

    public static BasketHeader ReadBasketHeader(byte[] image, int start)
    {
        ReadOnlySpan<byte> s = image.AsSpan(start);
        short version = BinaryPrimitives.ReadInt16BigEndian(s[4..]);
        bool big = version > KeyHeader.BigKeyVersion;
        int classAt = start + (big ? 34 : 26);
        int nameAt = classAt + 1 + image[classAt];
        int titleAt = nameAt + 1 + image[nameAt];
        int basketAt = titleAt + 1 + image[titleAt];
        ReadOnlySpan<byte> b = image.AsSpan(basketAt);
        return new BasketHeader(start, big, BinaryPrimitives.ReadInt32BigEndian(s), BinaryPrimitives.ReadInt32BigEndian(s[6..]),
            BinaryPrimitives.ReadInt16BigEndian(s[14..]), classAt, nameAt, titleAt, basketAt,
            BinaryPrimitives.ReadInt32BigEndian(b[6..]), BinaryPrimitives.ReadInt32BigEndian(b[10..]), BinaryPrimitives.ReadInt32BigEndian(b[14..]));
    }

    /// <summary>The free baskets of a branch (on their own keys), located through fBasketSeek as <see cref="RootBranch.Read"/> does.</summary>
    public static List<BasketHeader> FreeBaskets(byte[] image, BranchModel b)
    {
        var list = new List<BasketHeader>();
        for (int i = 0; i < b.WriteBasket; i++)
        {
            BasketHeader h = ReadBasketHeader(image, checked((int)b.BasketSeek[i]));
            Assert.Equal(b.BasketBytes[i], h.Nbytes);
            list.Add(h);
        }
        return list;
    }

    /// <summary>The ROOT compression blocks of a stored record: (offset of the 9-byte header, compressed size, uncompressed size, tag).</summary>
    public static List<(int At, int Compressed, int Uncompressed, string Tag)> Blocks(byte[] image, int at, int storedLength, int objLen)
    {
        var blocks = new List<(int, int, int, string)>();
        int end = at + storedLength;
        long produced = 0;
        while (produced < objLen)
        {
            Assert.True(end - at >= RootDecompressor.HeaderSize, "compressed record ends early");
            int compressed = image[at + 3] | (image[at + 4] << 8) | (image[at + 5] << 16);
            int uncompressed = image[at + 6] | (image[at + 7] << 8) | (image[at + 8] << 16);
            blocks.Add((at, compressed, uncompressed, $"{(char)image[at]}{(char)image[at + 1]}"));
            at += RootDecompressor.HeaderSize + compressed;
            produced += uncompressed;
        }
        return blocks;
    }

    /// <summary>
    /// Replaces a compressed free basket's payload by one block holding the <paramref name="mutate"/>d uncompressed
    /// bytes, compressed with whichever of zlib (three levels) and zstd gives the smallest block, padded to the original
    /// stored size (the reader stops once fObjlen bytes are produced, so the padding is never read).
    /// </summary>
    public static void RewritePayload(byte[] image, BasketHeader h, Action<byte[]> mutate)
    {
        int stored = h.Nbytes - h.KeyLen;
        Assert.NotEqual(stored, h.ObjLen);
        byte[] data = new byte[h.ObjLen];
        RootDecompressor.Decompress(image.AsSpan(h.PayloadAt, stored), data, "original", "payload", h.PayloadAt);
        mutate(data);
        var candidates = new List<(string Tag, byte Method, byte[] Payload)>();
        foreach (CompressionLevel level in new[] { CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
        {
            var ms = new MemoryStream();
            using (var z = new ZLibStream(ms, level, leaveOpen: true))
            {
                z.Write(data);
            }
            candidates.Add(("ZL", 8, ms.ToArray()));
        }
        using (var zstd = new ZstdSharp.Compressor(19))
        {
            candidates.Add(("ZS", 1, zstd.Wrap(data).ToArray()));
        }
        (string tag, byte method, byte[] zipped) = candidates.MinBy(c => c.Payload.Length);
        Assert.True(zipped.Length + RootDecompressor.HeaderSize <= stored, "recompressed payload does not fit in place");
        Span<byte> target = image.AsSpan(h.PayloadAt, stored);
        target.Clear();
        target[0] = (byte)tag[0];
        target[1] = (byte)tag[1];
        target[2] = method;
        WriteInt24(target[3..], zipped.Length);
        WriteInt24(target[6..], data.Length);
        zipped.CopyTo(target[RootDecompressor.HeaderSize..]);
    }

    public static void WriteInt24(Span<byte> at, int value)
    {
        at[0] = (byte)value;
        at[1] = (byte)(value >> 8);
        at[2] = (byte)(value >> 16);
    }

    public static void WriteInt32(byte[] image, int at, int value) => BinaryPrimitives.WriteInt32BigEndian(image.AsSpan(at), value);

    public static void WriteInt16(byte[] image, int at, short value) => BinaryPrimitives.WriteInt16BigEndian(image.AsSpan(at), value);

    public static int ReadInt32(byte[] image, int at) => BinaryPrimitives.ReadInt32BigEndian(image.AsSpan(at));

    /// <summary>
    /// A copy of the file whose tree record is stored uncompressed: the record is appended (key header copy,
    /// then the fObjlen bytes) and the directory's keys-list entry for the tree is pointed at it. The reference
    /// positions inside the record stay valid because fKeylen does not change. Returns the new image and the
    /// image offset of the uncompressed record's first byte.
    /// </summary>
    public static (byte[] Image, int ObjectAt, int ObjectLength) WithUncompressedTree(byte[] original, string name, string treeKey)
    {
        using var f = RootFile.Open(original, name);
        RootKey key = f.Root.FindKey(treeKey)!;
        byte[] obj = f.ReadObject(key.Header, "TTree");
        int keyLen = key.Header.KeyLen;
        int newSeek = original.Length;
        byte[] image = new byte[original.Length + keyLen + obj.Length];
        original.CopyTo(image, 0);
        original.AsSpan(checked((int)key.Seek), keyLen).CopyTo(image.AsSpan(newSeek));
        obj.CopyTo(image, newSeek + keyLen);
        Assert.False(key.Header.Version > KeyHeader.BigKeyVersion, "test helper handles small keys only");
        PatchKey(image, newSeek, keyLen + obj.Length, newSeek);
        PatchKey(image, KeysListEntry(image, f, treeKey), keyLen + obj.Length, newSeek);
        return (image, newSeek + keyLen, obj.Length);
    }

    private static void PatchKey(byte[] image, int keyStart, int nbytes, int seekKey)
    {
        WriteInt32(image, keyStart, nbytes);
        WriteInt32(image, keyStart + 18, seekKey);
    }

    /// <summary>Image offset of the top directory's keys-list entry for <paramref name="keyName"/> (the list at fSeekKeys: a TKey, an int32 count, the TKey headers).</summary>
    public static int KeysListEntry(byte[] image, RootFile f, string keyName)
    {
        (long seekKeys, _) = TopKeysList(image, f);
        BasketHeader listKey = ReadBasketHeader(image, (int)seekKeys);
        int at = (int)seekKeys + listKey.KeyLen;
        int n = ReadInt32(image, at);
        at += 4;
        for (int i = 0; i < n; i++)
        {
            BasketHeader h = ReadBasketHeader(image, at);
            string name = System.Text.Encoding.UTF8.GetString(image, h.NameAt + 1, image[h.NameAt]);
            if (name == keyName)
            {
                return at;
            }
            at += h.KeyLen;
        }
        throw new KeyNotFoundException(keyName);
    }

    /// <summary>fSeekKeys and its position in the image, from the top directory record (after fBEGIN + fNbytesName).</summary>
    public static (long SeekKeys, int FieldAt) TopKeysList(byte[] image, RootFile f)
    {
        int at = f.Header.Begin + f.Header.NbytesName;
        short version = BinaryPrimitives.ReadInt16BigEndian(image.AsSpan(at));
        int seekKeysAt = at + 2 + 4 + 4 + 4 + 4 + (version > 1000 ? 16 : 8);
        long seekKeys = version > 1000 ? BinaryPrimitives.ReadInt64BigEndian(image.AsSpan(seekKeysAt)) : ReadInt32(image, seekKeysAt);
        return (seekKeys, seekKeysAt);
    }

    /// <summary>
    /// The TBasket of <paramref name="branch"/> streamed inside its TBranch (fBaskets), found in an uncompressed tree
    /// record by its key strings: "TBasket", the branch name and the tree name, each a TString.
    /// </summary>
    public static BasketHeader EmbeddedBasket(byte[] image, int objectAt, int objectLength, string branch, string tree)
    {
        byte[] pattern = [.. TString("TBasket"), .. TString(branch), .. TString(tree)];
        ReadOnlySpan<byte> obj = image.AsSpan(objectAt, objectLength);
        int found = obj.IndexOf(pattern);
        Assert.True(found >= 0, $"no embedded basket of {branch}");
        // The strings appear twice: in the basket's header and in the copy of its key that precedes the data.
        int copy = found + 1 + obj[(found + 1)..].IndexOf(pattern);
        Assert.True(copy > found && obj[(copy + 1)..].IndexOf(pattern) < 0, $"not exactly one embedded basket of {branch}");
        int classAt = objectAt + found;
        int start = BinaryPrimitives.ReadInt16BigEndian(image.AsSpan(classAt - 26 + 4)) <= KeyHeader.BigKeyVersion ? classAt - 26 : classAt - 34;
        BasketHeader h = ReadBasketHeader(image, start);
        Assert.Equal(classAt, h.ClassNameAt);
        return h;
    }

    /// <summary>A byte range of a file image that holds format structure, and what it is (a branch name for basket headers).</summary>
    public sealed record Region(int Start, int Length, string What, string? Branch = null, int Weight = 1);

    /// <summary>
    /// The structure of a pristine file image, found with the library's parsers: the TFile header, the top directory
    /// record, every keys list and key header (directories recursively), the first bytes of every record (ROOT's
    /// compression block header, the LZ4 checksum), the streamer-info key, and for every tree the header and first
    /// payload bytes of each free basket, the entry-offset tail of uncompressed ones, and (when the tree record is
    /// stored uncompressed at <paramref name="treeObject"/>) the header and offsets of each basket streamed inside it.
    /// </summary>
    public static List<Region> StructureRegions(byte[] image, string name, (int At, int Length)? treeObject = null)
    {
        var regions = new List<Region>();
        void Add(long start, long length, string what, string? branch = null, int weight = 1)
        {
            long end = Math.Min(image.Length, start + length);
            if (start >= 0 && end > start)
            {
                regions.Add(new Region((int)start, (int)(end - start), what, branch, weight));
            }
        }
        using var f = RootFile.Open(image, name);
        Add(0, FileHeaderBytes, "TFile header");
        Add(f.Header.Begin, f.Header.NbytesName + 64, "top TDirectory");
        Add(f.Header.SeekInfo, 80, "TStreamerInfo key");
        var directories = new Queue<(RootDirectory Dir, int Depth)>();
        directories.Enqueue((f.Root, 0));
        AddKeysList(TopKeysList(image, f).SeekKeys);
        while (directories.Count > 0)
        {
            (RootDirectory dir, int depth) = directories.Dequeue();
            foreach (RootKey k in dir.Keys)
            {
                Add(k.Seek, k.Header.KeyLen + 17, $"TKey {k.Name}");
                if (k.ClassName is "TDirectory" or "TDirectoryFile" && depth < 4)
                {
                    byte[] record = f.ReadObject(k.Header, "TDirectory");
                    Add(k.Seek + k.Header.KeyLen, record.Length, $"TDirectory {k.Name}");
                    short version = BinaryPrimitives.ReadInt16BigEndian(record);
                    int seekKeysAt = 2 + 4 + 4 + 4 + 4 + (version > 1000 ? 16 : 8);
                    AddKeysList(version > 1000 ? BinaryPrimitives.ReadInt64BigEndian(record.AsSpan(seekKeysAt)) : ReadInt32(record, seekKeysAt));
                    directories.Enqueue((dir.GetDirectory($"{k.Name};{k.Cycle}"), depth + 1));
                }
                else if (k.ClassName == "TTree")
                {
                    TreeModel tree;
                    {
                        byte[] data = f.ReadObject(k.Header, "TTree");
                        var r = new BigEndianReader(data, f.Path, "TTree", k.Seek, k.Header.KeyLen, decompressed: true);
                        tree = new ObjectParser().ReadTree(ref r);
                    }
                    foreach (BranchModel b in AllBranches(tree.Branches))
                    {
                        for (int i = 0; i < b.WriteBasket; i++)
                        {
                            BasketHeader h = ReadBasketHeader(image, checked((int)b.BasketSeek[i]));
                            Add(h.Start, h.KeyLen + 17, "TBasket header", b.Name);
                            if (h.Nbytes - h.KeyLen == h.ObjLen && h.Last < h.Nbytes)
                            {
                                Add(h.Start + h.Last, h.Nbytes - h.Last, "TBasket entry offsets", b.Name);
                            }
                        }
                    }
                }
            }
        }
        if (treeObject is { } obj)
        {
            int baskets = regions.Count;
            ReadOnlySpan<byte> span = image.AsSpan(obj.At, obj.Length);
            byte[] tag = TString("TBasket");
            int from = 0;
            while (span[from..].IndexOf(tag) is int found and >= 0)
            {
                int at = from + found;
                from = at + 1;
                int start = obj.At + at - 26;
                if (BinaryPrimitives.ReadInt16BigEndian(image.AsSpan(start + 4)) > KeyHeader.BigKeyVersion)
                {
                    start -= 8;
                }
                BasketHeader h = ReadBasketHeader(image, start);
                string branch = System.Text.Encoding.UTF8.GetString(image, h.NameAt + 1, image[h.NameAt]);
                Add(h.Start, h.KeyLen + 4 + 16, "embedded TBasket header", branch);
            }
            // The rest of the record (TBranch and TLeaf members, fBasket* arrays, basket data): a quarter of the picks.
            Add(obj.At, obj.Length, "tree record", weight: Math.Max(1, (regions.Count - baskets) / 3));
        }
        return regions;

        void AddKeysList(long seekKeys)
        {
            BasketHeader listKey = ReadBasketHeader(image, checked((int)seekKeys));
            Add(seekKeys, listKey.Nbytes, "keys list");
        }
    }

    private const int FileHeaderBytes = 100;

    public static IEnumerable<BranchModel> AllBranches(IEnumerable<BranchModel> branches) =>
        branches.SelectMany(b => AllBranches(b.Branches).Prepend(b));

    private static byte[] TString(string s) => [(byte)s.Length, .. System.Text.Encoding.ASCII.GetBytes(s)];

    public static bool SameValues(RootArray a, RootArray b) =>
        StructuralComparisons.StructuralEqualityComparer.Equals(a.Values, b.Values)
        && StructuralComparisons.StructuralEqualityComparer.Equals(a.Offsets, b.Offsets)
        && StructuralComparisons.StructuralEqualityComparer.Equals(a.InnerOffsets, b.InnerOffsets);

    /// <summary>Reads one branch of a damaged image from scratch (open, tree, branch, all entries).</summary>
    public static RootArray ReadBranch(byte[] image, string name, string tree, string branch)
    {
        using var f = RootFile.Open(image, name);
        RootBranch b = f.GetTree(tree).GetBranch(branch);
        return b.Read(0, b.Entries);
    }

    /// <summary>True for the exceptions damaged input may end in: a format error, or a clean "not found"/"unsupported".</summary>
    public static bool IsClean(Exception e) => e is RootFormatException or NotSupportedException or KeyNotFoundException;
}
