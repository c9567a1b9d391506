using System.Buffers.Binary;
using System.IO.Hashing;
using EnergyRegression.Root.Format;
using Xunit.Abstractions;
using static EnergyRegression.Root.Tests.DamageKit;

namespace EnergyRegression.Root.Tests;

/// <summary>
/// Damage inside compressed records, for each codec ROOT writes (uproot-HZZ-{zlib,lzma,lz4,zstd}.root hold the
/// same tree): flipped bits in a basket's payload, the LZ4 checksum of every basket, block and key headers that
/// claim huge sizes, and an XZ block header that declares a huge LZMA2 dictionary.
/// </summary>
public class CompressedPayloadTests(ITestOutputHelper output)
{
    private const long AllocationLimit = 64L << 20;

    private static byte[] Load(string name) => File.ReadAllBytes(TestData.PathOf(name));

    private static BasketHeader Basket(byte[] image, string name, string branch)
    {
        using var f = RootFile.Open(image, name);
        return Assert.Single(FreeBaskets(image, FindBranch(ParseTree(f, "events").Branches, branch)));
    }

    /// <summary>Reads a branch of a damaged image; returns the values or the exception, and the bytes allocated on this thread.</summary>
    private static (RootArray? Values, Exception? Error, long Allocated) Attempt(byte[] image, string name, string branch)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            RootArray a = ReadBranch(image, name, "events", branch);
            return (a, null, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        catch (Exception e)
        {
            return (null, e, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    private static void AssertBasketError(Exception? e, string name, string branch, string? mentions = null)
    {
        Assert.True(e is RootFormatException, e?.ToString() ?? "no error");
        var rfe = (RootFormatException)e!;
        Assert.Equal(name, rfe.File);
        Assert.EndsWith($"TBasket of branch {branch}", rfe.Structure, StringComparison.Ordinal);
        if (mentions is not null)
        {
            Assert.Contains(mentions, rfe.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// One bit flipped at about 200 places spread over the whole stored payload of Jet_Px's basket (ROOT's 9-byte
    /// block header, the codec's own header, the compressed data and the codec's trailer). zlib (Adler-32), xz
    /// (LZMA2 + CRC32 check) and LZ4 (ROOT's XXH64 of the compressed bytes) detect nearly every flip; the rest must
    /// be harmless (the values are unchanged: e.g. ROOT's method byte, zlib's FLEVEL bits).
    /// </summary>
    [Theory]
    [InlineData("uproot-HZZ-zlib.root")]
    [InlineData("uproot-HZZ-lzma.root")]
    [InlineData("uproot-HZZ-lz4.root")]
    public void Flipped_bits_in_a_compressed_basket_are_detected_or_harmless(string name)
    {
        byte[] pristine = Load(name);
        RootArray original = ReadBranch(pristine, name, "events", "Jet_Px");
        BasketHeader h = Basket(pristine, name, "Jet_Px");
        int stored = h.Nbytes - h.KeyLen;
        Assert.NotEqual(stored, h.ObjLen);
        int detected = 0;
        int harmless = 0;
        int stride = Math.Max(1, stored / 200);
        for (int at = h.PayloadAt; at < h.Start + h.Nbytes; at += stride)
        {
            byte[] image = (byte[])pristine.Clone();
            image[at] ^= (byte)(1 << (at % 8));
            (RootArray? values, Exception? error, long allocated) = Attempt(image, name, "Jet_Px");
            Assert.True(allocated < AllocationLimit, $"flip at {at}: {allocated:N0} bytes allocated");
            if (error is null)
            {
                Assert.True(SameValues(original, values!), $"flip at {at} (payload byte {at - h.PayloadAt}) changed the values silently");
                harmless++;
                continue;
            }
            AssertBasketError(error, name, "Jet_Px");
            detected++;
            if (name.Contains("lz4", StringComparison.Ordinal) && at >= h.PayloadAt + 9)
            {
                // Everything after ROOT's block header is covered by the stored XXH64.
                Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
            }
        }
        output.WriteLine($"{name}: {detected} flips detected, {harmless} harmless");
        Assert.True(detected >= 0.95 * (detected + harmless), $"only {detected} of {detected + harmless} flips detected");
    }

    /// <summary>
    /// ROOT writes zstd frames without a content checksum (frame header descriptor bit 2 clear, as in
    /// ZSTD_compress's default), so a flipped bit in the compressed data can decode to different values without
    /// any way to notice: that is a property of the file, not of the reader. What must hold: damage to the framing
    /// (ROOT's block header, the zstd magic number and frame header) is detected, and no flip ends in anything but a
    /// RootFormatException or a complete read.
    /// </summary>
    [Fact]
    public void Zstd_baskets_have_no_checksum_but_framing_damage_is_detected()
    {
        const string name = "uproot-HZZ-zstd.root";
        byte[] pristine = Load(name);
        BasketHeader h = Basket(pristine, name, "Jet_Px");
        int frame = h.PayloadAt + 9;
        Assert.Equal(0xFD2FB528u, BinaryPrimitives.ReadUInt32LittleEndian(pristine.AsSpan(frame)));
        Assert.Equal(0, pristine[frame + 4] & 0x04); // Content_Checksum_flag
        int stored = h.Nbytes - h.KeyLen;
        int detected = 0;
        int silent = 0;
        int stride = Math.Max(1, stored / 200);
        // ROOT's block header (without its informational method byte) and the zstd magic number.
        var framing = Enumerable.Range(h.PayloadAt, 9 + 4).Where(at => at != h.PayloadAt + 2).ToHashSet();
        foreach (int at in framing.Concat(Enumerable.Range(0, stored / stride).Select(i => h.PayloadAt + i * stride)).Distinct())
        {
            byte[] image = (byte[])pristine.Clone();
            image[at] ^= (byte)(1 << (at % 8));
            (_, Exception? error, long allocated) = Attempt(image, name, "Jet_Px");
            Assert.True(allocated < AllocationLimit, $"flip at {at}: {allocated:N0} bytes allocated");
            if (error is null)
            {
                Assert.DoesNotContain(at, framing);
                silent++;
                continue;
            }
            AssertBasketError(error, name, "Jet_Px");
            detected++;
        }
        output.WriteLine($"{name}: {detected} flips detected, {silent} read without error (no zstd checksum)");
        Assert.True(detected >= framing.Count);
    }

    /// <summary>
    /// The XXH64 that ROOT stores in front of every LZ4 block is checked in every basket: for each branch of
    /// uproot-HZZ-lz4.root and each block of its basket, a flipped bit in the stored checksum and one in the last
    /// compressed byte are both reported as a checksum mismatch naming the branch.
    /// </summary>
    [Fact]
    public void Lz4_checksum_is_verified_in_every_basket()
    {
        const string name = "uproot-HZZ-lz4.root";
        byte[] pristine = Load(name);
        List<(string Branch, BasketHeader Basket)> baskets = [];
        using (var f = RootFile.Open(pristine, name))
        {
            TreeModel tree = ParseTree(f, "events");
            foreach (RootBranch b in f.GetTree("events").Branches)
            {
                baskets.AddRange(FreeBaskets(pristine, FindBranch(tree.Branches, b.Name)).Select(h => (b.Name, h)));
            }
        }
        Assert.True(baskets.Count(b => b.Basket.Nbytes - b.Basket.KeyLen != b.Basket.ObjLen) >= 45);
        int blocks = 0;
        foreach ((string branch, BasketHeader h) in baskets.Where(b => b.Basket.Nbytes - b.Basket.KeyLen != b.Basket.ObjLen))
        {
            foreach ((int at, int compressed, _, string tag) in Blocks(pristine, h.PayloadAt, h.Nbytes - h.KeyLen, h.ObjLen))
            {
                Assert.Equal("L4", tag);
                blocks++;
                foreach (int flip in new[] { at + 9 + 3, at + 9 + compressed - 1 })
                {
                    byte[] image = (byte[])pristine.Clone();
                    image[flip] ^= 0x10;
                    AssertBasketError(Attempt(image, name, branch).Error, name, branch, "checksum");
                }
            }
        }
        output.WriteLine($"{baskets.Count} baskets, {blocks} LZ4 blocks");
    }

    /// <summary>A flipped bit in the middle of the compressed streamer-info record (whatever its codec) is detected.</summary>
    [Theory]
    [InlineData("uproot-HZZ-zlib.root")]
    [InlineData("uproot-HZZ-lzma.root")]
    [InlineData("uproot-HZZ-lz4.root")]
    [InlineData("uproot-HZZ-zstd.root")]
    public void Damage_in_the_compressed_streamer_info_record_is_detected(string name)
    {
        byte[] image = Load(name);
        long seekInfo;
        using (var f = RootFile.Open(image, name))
        {
            seekInfo = f.Header.SeekInfo;
        }
        BasketHeader key = ReadBasketHeader(image, checked((int)seekInfo));
        Assert.NotEqual(key.Nbytes - key.KeyLen, key.ObjLen);
        string tag = $"{(char)image[key.PayloadAt]}{(char)image[key.PayloadAt + 1]}";
        // Inside the compressed data; for LZ4 inside the checksummed bytes, for zstd in the frame header.
        int at = tag == "ZS" ? key.PayloadAt + 9 + 4 : key.PayloadAt + 9 + (key.Nbytes - key.KeyLen - 9) / 2;
        image[at] ^= 0x04;
        using var damaged = RootFile.Open(image, name);
        var ex = Assert.Throws<RootFormatException>(() => damaged.StreamerInfos);
        Assert.Equal(name, ex.File);
        Assert.Equal("TStreamerInfo list", ex.Structure);
        output.WriteLine($"{tag}: {ex.Message}");
    }

    /// <summary>
    /// A basket whose key says fObjlen = 16 MiB − 1 and whose single block header claims 16 MiB − 1 uncompressed
    /// bytes from 100 compressed bytes: rejected before the 16 MiB are allocated (no codec expands 100 bytes that
    /// much). With the real compressed size the claim is plausible, so the buffer is allocated (16 MiB, within the
    /// limit) and the decompressor then finds the block short.
    /// </summary>
    [Theory]
    [InlineData("uproot-HZZ-zlib.root", true)]
    [InlineData("uproot-HZZ-lzma.root", true)]
    [InlineData("uproot-HZZ-lz4.root", true)]
    [InlineData("uproot-HZZ-zstd.root", true)]
    [InlineData("uproot-HZZ-zlib.root", false)]
    [InlineData("uproot-HZZ-lzma.root", false)]
    [InlineData("uproot-HZZ-lz4.root", false)]
    [InlineData("uproot-HZZ-zstd.root", false)]
    public void Block_claiming_16_MiB_fails_fast(string name, bool from100Bytes)
    {
        byte[] image = Load(name);
        BasketHeader h = Basket(image, name, "NJet");
        const int claimed = 0xFFFFFF;
        WriteInt32(image, h.ObjLenAt, claimed);
        if (from100Bytes)
        {
            WriteInt24(image.AsSpan(h.PayloadAt + 3), 100);
        }
        WriteInt24(image.AsSpan(h.PayloadAt + 6), claimed);
        (_, Exception? error, long allocated) = Attempt(image, name, "NJet");
        AssertBasketError(error, name, "NJet", from100Bytes ? "claims 16777215 bytes from 100" : null);
        Assert.True(allocated < (from100Bytes ? 1L << 20 : AllocationLimit), $"{allocated:N0} bytes allocated");
    }

    /// <summary>
    /// The tree's entry in the keys list claiming fObjlen = 2 GB (beyond the reader's 1 GiB limit) or 1 GiB − 1
    /// (within it, but the compressed record's blocks add up to far less): both fail before the object is allocated.
    /// </summary>
    [Theory]
    [InlineData("uproot-HZZ-zlib.root", int.MaxValue)]
    [InlineData("uproot-HZZ-zlib.root", (1 << 30) - 1)]
    [InlineData("uproot-HZZ-lzma.root", (1 << 30) - 1)]
    [InlineData("uproot-HZZ-zstd.root", 1 << 29)]
    public void Key_claiming_a_huge_object_fails_fast(string name, int objLen)
    {
        byte[] image = Load(name);
        int entry;
        using (var f = RootFile.Open(image, name))
        {
            entry = KeysListEntry(image, f, "events");
        }
        WriteInt32(image, entry + 6, objLen);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<RootFormatException>(() =>
        {
            using var f = RootFile.Open(image, name);
            f.GetTree("events");
        });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < AllocationLimit, $"{allocated:N0} bytes allocated");
        Assert.Equal(name, ex.File);
        Assert.Equal("TTree events", ex.Structure);
        output.WriteLine(ex.Message);
    }

    [Fact]
    public void Streamer_info_key_claiming_a_huge_object_fails_fast()
    {
        const string name = "uproot-HZZ-zlib.root";
        byte[] image = Load(name);
        long seekInfo;
        using (var f = RootFile.Open(image, name))
        {
            seekInfo = f.Header.SeekInfo;
        }
        WriteInt32(image, checked((int)seekInfo) + 6, (1 << 30) - 1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var damaged = RootFile.Open(image, name);
        var ex = Assert.Throws<RootFormatException>(() => damaged.StreamerInfos);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < AllocationLimit);
        Assert.Equal("TStreamerInfo list", ex.Structure);
    }

    /// <summary>
    /// An XZ block header (xz file format 1.0.4, section 3.1: size byte, flags, optional sizes, filter flags, padding,
    /// CRC32) whose LZMA2 filter declares a huge dictionary (property byte 37: 3 × 2^29 = 1.5 GiB; 40: 4 GiB − 1),
    /// with the header CRC32 fixed up so that only the dictionary size is wrong. SharpCompress (0.50) grows the LZMA2
    /// window with the output instead of allocating the declared dictionary, so the 1.5 GiB declaration decodes the
    /// basket with little memory; a size it cannot represent is a format error. Either way nothing near the
    /// declared size is allocated.
    /// </summary>
    [Theory]
    [InlineData(37, false)]
    [InlineData(38, true)]
    [InlineData(40, true)]
    public void Xz_block_declaring_a_huge_dictionary_does_not_allocate_it(byte dictionaryProperty, bool error)
    {
        const string name = "uproot-HZZ-lzma.root";
        byte[] image = Load(name);
        RootArray original = ReadBranch(image, name, "events", "Jet_Px");
        BasketHeader h = Basket(image, name, "Jet_Px");
        int stream = h.PayloadAt + 9;
        Assert.True(image.AsSpan(stream, 6).SequenceEqual((byte[])[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0]));
        int block = stream + 12;
        int headerSize = (image[block] + 1) * 4;
        byte flags = image[block + 1];
        Assert.Equal(0, flags & 0x03); // one filter
        int at = block + 2;
        for (int present = 0x40; present <= 0x80; present <<= 1)
        {
            if ((flags & present) != 0)
            {
                while ((image[at++] & 0x80) != 0)
                {
                }
            }
        }
        Assert.Equal(0x21, image[at]); // LZMA2 filter id
        Assert.Equal(1, image[at + 1]); // one property byte: the dictionary size
        output.WriteLine($"declared dictionary property {image[at + 2]}");
        image[at + 2] = dictionaryProperty;
        BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(block + headerSize - 4), Crc32.HashToUInt32(image.AsSpan(block, headerSize - 4)));

        (RootArray? values, Exception? e, long allocated) = Attempt(image, name, "Jet_Px");
        Assert.True(allocated < AllocationLimit, $"{allocated:N0} bytes allocated");
        if (error)
        {
            AssertBasketError(e, name, "Jet_Px", "XZ");
        }
        else
        {
            Assert.True(e is null, e?.ToString());
            Assert.True(SameValues(original, values!));
        }
    }

    [Fact]
    public void Xz_block_header_damage_without_fixed_crc_is_detected()
    {
        const string name = "uproot-HZZ-lzma.root";
        byte[] image = Load(name);
        BasketHeader h = Basket(image, name, "Jet_Px");
        int block = h.PayloadAt + 9 + 12;
        image[block + 4] ^= 0x08; // inside the filter flags, CRC32 left as it was
        AssertBasketError(Attempt(image, name, "Jet_Px").Error, name, "Jet_Px", "XZ");
    }
}
