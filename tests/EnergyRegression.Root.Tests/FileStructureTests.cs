using System.Buffers.Binary;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Tests;

public class FileStructureTests
{
    [Fact]
    public void Opens_header_and_lists_top_keys()
    {
        using RootFile f = TestData.Open("uproot-Zmumu.root");
        Assert.True(f.Version > 50000);
        RootKey key = Assert.Single(f.Root.Keys, k => k.Name == "events");
        Assert.Equal("TTree", key.ClassName);
        Assert.True(key.ObjectLength > 0);
        Assert.True(key.Seek > 0);
    }

    [Fact]
    public void Nested_directories_are_listed_with_their_keys()
    {
        using RootFile f = TestData.Open("uproot-nesteddirs.root");
        Assert.Equal(["one", "three"], f.Root.Keys.Select(k => k.Name).Order().ToArray());
        RootDirectory one = f.Root.GetDirectory("one");
        Assert.Contains(one.Keys, k => k.Name == "two" && k.ClassName is "TDirectory" or "TDirectoryFile");
        Assert.Contains(one.Keys, k => k.Name == "tree" && k.ClassName == "TTree");
        RootDirectory two = one.GetDirectory("two");
        Assert.Contains(two.Keys, k => k.Name == "tree" && k.ClassName == "TTree");
        RootDirectory three = f.Root.GetDirectory("three");
        Assert.Contains(three.Keys, k => k.Name == "tree");
        RootTree t = f.GetTree("one/two/tree");
        Assert.True(t.Entries > 0);
        Assert.Equal(t.Entries, f.GetTree("one/two/tree;1").Entries);
        Assert.Throws<KeyNotFoundException>(() => f.GetTree("one/none"));
        Assert.Throws<KeyNotFoundException>(() => f.Root.GetDirectory("nope"));
    }

    [Fact]
    public void Key_cycles_pick_the_highest_without_a_cycle()
    {
        using RootFile f = TestData.Open("uproot-Zmumu.root");
        RootKey k = f.Root.FindKey("events")!;
        Assert.Same(k, f.Root.FindKey($"events;{k.Cycle}"));
        Assert.Null(f.Root.FindKey($"events;{k.Cycle + 5}"));
    }

    [Theory]
    [InlineData("uproot-Zmumu.root")]
    [InlineData("uproot-sample-5.30.00-zlib.root")]
    [InlineData("nanoAOD_2015_CMS_Open_Data_ttbar.root")]
    public void Streamer_infos_list_classes_and_versions(string name)
    {
        using RootFile f = TestData.Open(name);
        Assert.Contains(f.StreamerInfos, s => s.ClassName == "TTree" && s.ClassVersion is >= 16 and <= 20);
        Assert.Contains(f.StreamerInfos, s => s.ClassName == "TBranch");
    }

    [Fact]
    public void Empty_tree_has_no_entries()
    {
        using RootFile f = TestData.Open("uproot-empty.root");
        RootKey key = f.Root.Keys.First(k => k.ClassName == "TTree");
        RootTree t = f.GetTree(key.Name);
        Assert.Equal(0, t.Entries);
        foreach (RootBranch b in t.Branches.Where(b => b.IsReadable && b.IsColumn))
        {
            Assert.Empty(b.Read(0, 0).Values);
        }
    }

    [Fact]
    public void Big_file_header_uses_64_bit_seeks()
    {
        byte[] h = new byte[FileHeader.MaxSize];
        "root"u8.CopyTo(h);
        var w = h.AsSpan(4);
        BinaryPrimitives.WriteInt32BigEndian(w, 1_062_004); w = w[4..];
        BinaryPrimitives.WriteInt32BigEndian(w, 100); w = w[4..];
        BinaryPrimitives.WriteInt64BigEndian(w, 5_000_000_000); w = w[8..]; // fEND
        BinaryPrimitives.WriteInt64BigEndian(w, 4_999_000_000); w = w[8..]; // fSeekFree
        BinaryPrimitives.WriteInt32BigEndian(w, 77); w = w[4..];
        BinaryPrimitives.WriteInt32BigEndian(w, 1); w = w[4..];
        BinaryPrimitives.WriteInt32BigEndian(w, 60); w = w[4..];
        w[0] = 8; w = w[1..];
        BinaryPrimitives.WriteInt32BigEndian(w, 505); w = w[4..];
        BinaryPrimitives.WriteInt64BigEndian(w, 4_900_000_000); w = w[8..]; // fSeekInfo
        BinaryPrimitives.WriteInt32BigEndian(w, 1234);
        var fh = FileHeader.Parse(h, "synthetic", 5_000_000_000);
        Assert.True(fh.IsBig);
        Assert.Equal(62004, fh.RootVersion);
        Assert.Equal(5_000_000_000, fh.End);
        Assert.Equal(4_900_000_000, fh.SeekInfo);
        Assert.Equal(1234, fh.NbytesInfo);
    }

    [Fact]
    public void Big_key_uses_64_bit_seeks()
    {
        var ms = new MemoryStream();
        void I32(int v) { byte[] b = new byte[4]; BinaryPrimitives.WriteInt32BigEndian(b, v); ms.Write(b); }
        void I16(short v) { byte[] b = new byte[2]; BinaryPrimitives.WriteInt16BigEndian(b, v); ms.Write(b); }
        void I64(long v) { byte[] b = new byte[8]; BinaryPrimitives.WriteInt64BigEndian(b, v); ms.Write(b); }
        void Str(string s) { ms.WriteByte((byte)s.Length); ms.Write(System.Text.Encoding.ASCII.GetBytes(s)); }
        int keyLen = 4 + 2 + 4 + 4 + 2 + 2 + 8 + 8 + 6 + 7 + 4;
        I32(keyLen + 100); I16(1004); I32(300); I32(0); I16((short)keyLen); I16(3);
        I64(3_000_000_000); I64(100);
        Str("TTree"); Str("events"); Str("ttl");
        byte[] bytes = ms.ToArray();
        var r = new BigEndianReader(bytes, "synthetic", "TKey", 3_000_000_000);
        var k = KeyHeader.Parse(ref r, 3_000_000_000, 4_000_000_000);
        Assert.Equal(3_000_000_000, k.SeekKey);
        Assert.Equal(100, k.SeekPdir);
        Assert.Equal("events", k.Name);
        Assert.Equal(3, k.Cycle);
        Assert.Equal(100, k.CompressedLength);
    }

    [Fact]
    public void Reader_rejects_lengths_beyond_the_data()
    {
        byte[] data = [0xFF, 0, 0, 0x10, 0, 1, 2];
        var ex = Assert.Throws<RootFormatException>(() =>
        {
            var r = new BigEndianReader(data, "f.root", "TString", 40);
            r.ReadTString();
        });
        Assert.Equal("f.root", ex.File);
        Assert.Equal("TString", ex.Structure);
        Assert.Equal(45, ex.Offset);
    }

    [Fact]
    public void Not_a_root_file_is_a_format_error()
    {
        var ex = Assert.Throws<RootFormatException>(() => RootFile.Open(new byte[200], "zeros.root"));
        Assert.Equal("zeros.root", ex.File);
        Assert.Contains("TFile header", ex.Structure, StringComparison.Ordinal);
    }
}
