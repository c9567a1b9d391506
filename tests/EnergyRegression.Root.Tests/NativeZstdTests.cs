using EnergyRegression.Root.Compression;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Tests;

/// <summary>
/// The two Zstandard decoders of "ZS" blocks (ZstdSharp.Port and the system's libzstd) against each other and
/// against the same files written uncompressed, and on damaged blocks.
/// </summary>
public class NativeZstdTests
{
    /// <summary>A record as stored after its key: the bytes RootDecompressor reads, and the size they expand to.</summary>
    private sealed record Stored(string What, long Offset, byte[] Bytes, int ObjectLength);

    private static void RequireNative()
    {
        // Debian (CI) always has libzstd.so.1: apt depends on it. Elsewhere the native decoder may be absent.
        Assert.True(NativeZstd.IsAvailable || !OperatingSystem.IsLinux(), $"native zstd unavailable: {NativeZstd.Problem}");
    }

    private static TreeModel ReadTreeModel(RootFile f, string tree)
    {
        RootKey key = f.Root.FindKey(tree)!;
        byte[] record = f.ReadObject(key.Header, $"TTree {key.Name}");
        var r = new BigEndianReader(record, f.Path, $"TTree {key.Name}", key.Seek, key.Header.KeyLen, decompressed: true);
        return new ObjectParser().ReadTree(ref r);
    }

    private static IEnumerable<BranchModel> Flatten(IEnumerable<BranchModel> branches) =>
        branches.SelectMany(b => new[] { b }.Concat(Flatten(b.Branches)));

    /// <summary>The TTree record and every free basket of every branch, in branch order.</summary>
    private static List<Stored> StoredRecords(RootFile f, string tree)
    {
        RootKey key = f.Root.FindKey(tree)!;
        byte[] treeRecord = new byte[key.CompressedLength];
        f.Source.Read(key.Seek + key.Header.KeyLen, treeRecord, "test");
        var list = new List<Stored> { new($"TTree {tree}", key.Seek + key.Header.KeyLen, treeRecord, key.ObjectLength) };
        foreach (BranchModel b in Flatten(ReadTreeModel(f, tree).Branches))
        {
            for (int i = 0; i < b.WriteBasket; i++)
            {
                KeyHeader k = f.ReadKey(b.BasketSeek[i], "test");
                byte[] bytes = new byte[k.CompressedLength];
                f.Source.Read(k.SeekKey + k.KeyLen, bytes, "test");
                list.Add(new Stored($"{b.Name} basket {i}", k.SeekKey + k.KeyLen, bytes, k.ObjLen));
            }
        }
        return list;
    }

    private static byte[] Decode(Stored s, ZstdImplementation zstd)
    {
        byte[] output = new byte[s.ObjectLength];
        RootDecompressor.Decompress(s.Bytes, output, "f.root", s.What, s.Offset, zstd);
        return output;
    }

    [Theory]
    [InlineData("uproot-HZZ-zstd.root", "uproot-HZZ-uncompressed.root", 58)]
    [InlineData("uproot-Zmumu-zstd.root", "uproot-Zmumu-uncompressed.root", 21)]
    public void Both_decoders_give_the_bytes_of_the_uncompressed_file_on_every_basket(string name, string uncompressedName, int records)
    {
        RequireNative();
        using RootFile f = TestData.Open(name);
        using RootFile plain = TestData.Open(uncompressedName);
        List<Stored> zstd = StoredRecords(f, "events");
        List<Stored> reference = StoredRecords(plain, "events");
        Assert.Equal(records, zstd.Count);
        Assert.Equal(zstd.Select(s => s.What), reference.Select(s => s.What));
        int compressed = 0;
        for (int i = 0; i < zstd.Count; i++)
        {
            Stored s = zstd[i];
            if (s.Bytes.Length == s.ObjectLength)
            {
                continue; // stored uncompressed: the writer found compression did not pay
            }
            compressed++;
            Assert.Equal("ZS", $"{(char)s.Bytes[0]}{(char)s.Bytes[1]}");
            byte[] managed = Decode(s, ZstdImplementation.Managed);
            byte[] native = NativeZstd.IsAvailable ? Decode(s, ZstdImplementation.Native) : managed;
            Assert.True(managed.AsSpan().SequenceEqual(native), $"{name}: {s.What}: the decoders differ");
            if (i > 0)
            {
                // Baskets: the uncompressed file stores the same bytes as they are (the TTree records differ in fSeek values).
                Assert.Equal(reference[i].ObjectLength, reference[i].Bytes.Length);
                Assert.True(reference[i].Bytes.AsSpan().SequenceEqual(managed), $"{name}: {s.What} differs from {uncompressedName}");
            }
        }
        Assert.True(compressed >= records / 2, $"only {compressed} of {records} records are compressed");
    }

    [Theory]
    [InlineData("frame magic number")]
    [InlineData("payload truncated by 7 bytes")]
    [InlineData("block header claims one byte more than the frame holds")]
    [InlineData("block header claims one byte less than the frame holds")]
    public void A_damaged_zstd_block_is_a_format_error_with_both_decoders(string damage)
    {
        RequireNative();
        using RootFile f = TestData.Open("uproot-HZZ-zstd.root");
        Stored s = StoredRecords(f, "events").Where(r => r.Bytes.Length != r.ObjectLength).MaxBy(r => r.ObjectLength)!;
        byte[] bytes = (byte[])s.Bytes.Clone();
        int length = s.ObjectLength;
        int compressedSize = bytes[3] | (bytes[4] << 8) | (bytes[5] << 16);
        int uncompressedSize = bytes[6] | (bytes[7] << 8) | (bytes[8] << 16);
        Assert.Equal(bytes.Length - RootDecompressor.HeaderSize, compressedSize);
        Assert.Equal(length, uncompressedSize);
        switch (damage)
        {
            case "frame magic number":
                bytes[RootDecompressor.HeaderSize] ^= 0xFF; // 28 B5 2F FD
                break;
            case "payload truncated by 7 bytes":
                compressedSize -= 7;
                bytes = bytes[..(RootDecompressor.HeaderSize + compressedSize)];
                break;
            case "block header claims one byte more than the frame holds":
                length++;
                break;
            case "block header claims one byte less than the frame holds":
                length--;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(damage));
        }
        bytes[3] = (byte)compressedSize;
        bytes[4] = (byte)(compressedSize >> 8);
        bytes[5] = (byte)(compressedSize >> 16);
        bytes[6] = (byte)length;
        bytes[7] = (byte)(length >> 8);
        bytes[8] = (byte)(length >> 16);

        var messages = new List<string>();
        foreach (ZstdImplementation zstd in NativeZstd.IsAvailable ? [ZstdImplementation.Managed, ZstdImplementation.Native] : new[] { ZstdImplementation.Managed })
        {
            // The destination is a slice of a larger buffer: nothing may be written after it.
            byte[] buffer = new byte[length + 64];
            Array.Fill(buffer, (byte)0xA5);
            var ex = Assert.Throws<RootFormatException>(() =>
                RootDecompressor.Decompress(bytes, buffer.AsSpan(0, length), "f.root", "TBasket of branch x", 1234, zstd));
            Assert.Equal("f.root", ex.File);
            Assert.Equal("TBasket of branch x", ex.Structure);
            Assert.Equal(1234, ex.Offset);
            Assert.Matches(damage.Contains("more", StringComparison.Ordinal)
                ? $"compressed block expanded to {length - 1} bytes, its header says {length}$"
                : "corrupt ZS compressed block: [A-Z]", ex.Message);
            messages.Add(ex.Message);
            Assert.True(buffer.AsSpan(length).IndexOfAnyExcept((byte)0xA5) < 0, $"{damage}, {zstd}: written past the destination");
        }
        // ZstdSharp ports libzstd's error texts: both decoders end in the same message.
        Assert.Single(messages.Distinct());
    }

    [Fact]
    public void Environment_setting_chooses_the_decoder()
    {
        Assert.Equal((ZstdImplementation.Native, null), ZstdDecoder.Choose(null, true, null));
        Assert.Equal((ZstdImplementation.Managed, null), ZstdDecoder.Choose(null, false, "absent"));
        Assert.Equal((ZstdImplementation.Native, null), ZstdDecoder.Choose(" ", true, null));
        Assert.Equal((ZstdImplementation.Managed, null), ZstdDecoder.Choose("managed", true, null));
        Assert.Equal((ZstdImplementation.Native, null), ZstdDecoder.Choose("Native", true, null));
        (ZstdImplementation? none, string? problem) = ZstdDecoder.Choose("native", false, "absent");
        Assert.Null(none);
        Assert.Contains("absent", problem, StringComparison.Ordinal);
        (none, problem) = ZstdDecoder.Choose("fast", true, null);
        Assert.Null(none);
        Assert.Contains("ENERGYREG_ZSTD", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_native_library_reports_its_version()
    {
        RequireNative();
        if (NativeZstd.IsAvailable)
        {
            Assert.InRange(NativeZstd.Version, 1_04_00u, 1_99_99u);
            Assert.NotNull(NativeZstd.LibraryFile);
        }
    }
}
