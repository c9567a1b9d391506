namespace EnergyRegression.Root.Tests;

/// <summary>Damaged input must end in a <see cref="RootFormatException"/> (or a clean "not found"/"unsupported"), never a crash, hang or huge allocation.</summary>
public class CorruptionTests
{
    private static void ReadEverything(RootFile f)
    {
        foreach (RootKey k in f.Root.Keys.Where(k => k.ClassName == "TTree"))
        {
            RootTree t = f.GetTree($"{k.Name};{k.Cycle}");
            foreach (RootBranch b in t.Branches.Where(b => b.IsReadable))
            {
                b.Read(0, b.Entries);
            }
        }
        _ = f.StreamerInfos.Count;
    }

    private static bool IsClean(Exception e) => e is RootFormatException or NotSupportedException or KeyNotFoundException;

    [Theory]
    [InlineData("uproot-small-flat-tree.root")]
    [InlineData("uproot-HZZ-lz4.root")]
    public void Truncated_files_are_format_errors(string name)
    {
        byte[] bytes = File.ReadAllBytes(TestData.PathOf(name));
        foreach (int length in new[] { 0, 3, 10, 60, 200, bytes.Length / 3, bytes.Length / 2, bytes.Length - 100, bytes.Length - 1 })
        {
            var ex = Assert.Throws<RootFormatException>(() =>
            {
                using var f = RootFile.Open(bytes[..length], name);
                ReadEverything(f);
            });
            Assert.Equal(name, ex.File);
            Assert.False(string.IsNullOrEmpty(ex.Structure));
        }
    }

    [Fact]
    public void Lz4_checksum_mismatch_is_detected()
    {
        string name = "uproot-HZZ-lz4.root";
        byte[] bytes = File.ReadAllBytes(TestData.PathOf(name));
        RootKey key;
        using (var f = RootFile.Open(bytes, name))
        {
            key = f.Root.FindKey("events")!;
            Assert.NotEqual(key.ObjectLength, key.CompressedLength);
        }
        long payload = key.Seek + key.Header.KeyLen;
        Assert.Equal((byte)'L', bytes[payload]);
        bytes[payload + 9 + 8 + 20] ^= 0x5A;
        var ex = Assert.Throws<RootFormatException>(() =>
        {
            using var f = RootFile.Open(bytes, name);
            f.GetTree("events");
        });
        Assert.Contains("checksum", ex.Message, StringComparison.Ordinal);
        Assert.Equal("TTree events", ex.Structure);
    }

    [Fact]
    public void Wrong_seek_pointer_in_a_key_is_a_format_error()
    {
        string name = "uproot-small-flat-tree.root";
        byte[] bytes = File.ReadAllBytes(TestData.PathOf(name));
        // fSeekInfo (small header: bytes 37..40) pointing past the end of the file.
        bytes[37] = 0x7F;
        var ex = Assert.Throws<RootFormatException>(() =>
        {
            using var f = RootFile.Open(bytes, name);
            _ = f.StreamerInfos;
        });
        Assert.Contains("TStreamerInfo", ex.Structure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("uproot-small-flat-tree.root", 2500)]
    [InlineData("uproot-vectorVectorDouble.root", 1500)]
    [InlineData("uproot-leaflist.root", 1000)]
    public void Random_mutations_never_crash(string name, int mutations)
    {
        byte[] original = File.ReadAllBytes(TestData.PathOf(name));
        var rng = new Random(20240611);
        int failures = 0;
        for (int m = 0; m < mutations; m++)
        {
            byte[] bytes = (byte[])original.Clone();
            int flips = rng.Next(1, 4);
            for (int i = 0; i < flips; i++)
            {
                // Half the mutations hit the first 1 KiB and the last 2 KiB, where the header, directory and keys live.
                int at = rng.Next(4) switch
                {
                    0 => rng.Next(Math.Min(1024, bytes.Length)),
                    1 => bytes.Length - 1 - rng.Next(Math.Min(2048, bytes.Length)),
                    _ => rng.Next(bytes.Length),
                };
                bytes[at] = rng.Next(3) == 0 ? (byte)rng.Next(256) : (byte)(bytes[at] ^ (1 << rng.Next(8)));
            }
            try
            {
                using var f = RootFile.Open(bytes, name);
                ReadEverything(f);
            }
            catch (Exception e) when (IsClean(e))
            {
                failures++;
                if (e is RootFormatException rfe)
                {
                    Assert.Equal(name, rfe.File);
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {m} of {name}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.True(failures > 0);
    }
}
