namespace EnergyRegression.Root.Tests;

public class TreeReadingTests
{
    private static readonly double[] Px1 = [-41.1952876442, 35.1180497674, 35.1180497674, 34.1444372454, 22.7835819537];

    [Theory]
    [InlineData("uproot-Zmumu.root")]
    [InlineData("uproot-Zmumu-uncompressed.root")]
    [InlineData("uproot-Zmumu-zlib.root")]
    [InlineData("uproot-Zmumu-lz4.root")]
    [InlineData("uproot-Zmumu-lzma.root")]
    [InlineData("uproot-Zmumu-zstd.root")]
    public void Zmumu_every_codec_gives_the_same_values(string name)
    {
        using RootFile f = TestData.Open(name);
        RootTree t = f.GetTree("events");
        Assert.Equal(2304, t.Entries);
        RootBranch px1 = t.GetBranch("px1");
        Assert.Equal("float64", px1.TypeName);
        RootArray a = px1.Read(0, 5);
        Assert.Equal(typeof(double), a.ElementType);
        double[] v = a.As<double>();
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(Px1[i], v[i], 1e-9);
        }
        using RootFile reference = TestData.Open("uproot-Zmumu-uncompressed.root");
        foreach (RootBranch b in t.Branches.Where(b => b.IsReadable && b.IsColumn))
        {
            Assert.Equal(reference.GetTree("events").GetBranch(b.Name).Read(0, 2304).Values, b.Read(0, 2304).Values);
        }
    }

    [Theory]
    [InlineData("uproot-HZZ.root")]
    [InlineData("uproot-HZZ-uncompressed.root")]
    [InlineData("uproot-HZZ-zlib.root")]
    [InlineData("uproot-HZZ-lz4.root")]
    [InlineData("uproot-HZZ-lzma.root")]
    [InlineData("uproot-HZZ-zstd.root")]
    public void HZZ_every_codec_gives_the_same_values(string name)
    {
        using RootFile f = TestData.Open(name);
        RootTree t = f.GetTree("events");
        Assert.Equal(2421, t.Entries);
        using RootFile reference = TestData.Open("uproot-HZZ-uncompressed.root");
        RootTree rt = reference.GetTree("events");
        int readable = 0;
        foreach (RootBranch b in t.Branches.Where(b => b.IsReadable && b.IsColumn))
        {
            RootArray x = b.Read(0, t.Entries);
            RootArray y = rt.GetBranch(b.Name).Read(0, t.Entries);
            Assert.Equal(y.Values, x.Values);
            Assert.Equal(y.Offsets, x.Offsets);
            readable++;
        }
        Assert.True(readable > 10);
        RootBranch jetPx = t.GetBranch("Jet_Px");
        Assert.Equal("float32[NJet]", jetPx.TypeName);
        Assert.Equal("NJet", jetPx.Counter!.Name);
    }

    [Fact]
    public void NanoAOD_values()
    {
        using RootFile f = TestData.Open("nanoAOD_2015_CMS_Open_Data_ttbar.root");
        RootTree t = f.GetTree("Events");
        Assert.Equal(200, t.Entries);
        float[] met = t.GetBranch("MET_pt").Read(0, 3).As<float>();
        Assert.Equal(33.261875f, met[0], 1e-4f);
        Assert.Equal(70.08252f, met[2], 1e-4f);
        RootBranch ept = t.GetBranch("Electron_pt");
        Assert.Equal("float32[nElectron]", ept.TypeName);
        RootArray e = ept.Read(0, 200);
        long[] off = e.Offsets!;
        Assert.Equal(0, off[1] - off[0]);
        Assert.Equal(1, off[2] - off[1]);
        Assert.Equal(32.679607f, e.As<float>()[off[1]], 1e-4f);
        Assert.Equal(63, Enumerable.Range(0, 200).Count(i => off[i + 1] > off[i]));
        RootArray jet = t.GetBranch("Jet_pt").Read(0, 1);
        Assert.Equal([17.921875f, 15.734375f], jet.As<float>());
    }

    [Fact]
    public void Vector_of_vector_of_double()
    {
        using RootFile f = TestData.Open("uproot-vectorVectorDouble.root");
        RootBranch x = f.GetTree("t").GetBranch("x");
        Assert.Equal("std::vector<std::vector<float64>>", x.TypeName);
        RootArray a = x.Read(0, 5);
        double[][][] expected =
        [
            [], [[], []], [[10], [], [10, 20]], [[20, -21, -22]], [[200], [-201], [202]],
        ];
        double[] v = a.As<double>();
        for (int e = 0; e < 5; e++)
        {
            long o0 = a.Offsets![e];
            long o1 = a.Offsets[e + 1];
            Assert.Equal(expected[e].Length, o1 - o0);
            for (long j = o0; j < o1; j++)
            {
                long i0 = a.InnerOffsets![j];
                long i1 = a.InnerOffsets[j + 1];
                Assert.Equal(expected[e][j - o0], v[(int)i0..(int)i1]);
            }
        }
    }

    [Theory]
    [InlineData("uproot-sample-5.30.00-zlib.root")]
    [InlineData("uproot-sample-6.20.04-uncompressed.root")]
    [InlineData("uproot-sample-6.20.04-zlib.root")]
    [InlineData("uproot-sample-6.20.04-lz4.root")]
    [InlineData("uproot-sample-6.20.04-lzma.root")]
    public void Sample_files_i4_counts_from_minus_15(string name)
    {
        using RootFile f = TestData.Open(name);
        RootTree t = f.GetTree("sample");
        int[] i4 = t.GetBranch("i4").Read(0, t.Entries).As<int>();
        Assert.Equal(Enumerable.Range(-15, 30), i4);
        Assert.Equal(Enumerable.Range(-14, 5), t.GetBranch("i4").Read(1, 6).As<int>());
        foreach (RootBranch b in t.Branches.Where(b => b.IsReadable && b.IsColumn))
        {
            Assert.Equal(t.Entries, b.Read(0, t.Entries).Entries);
        }
    }

    [Fact]
    public void Small_flat_tree_ints_and_strings()
    {
        using RootFile f = TestData.Open("uproot-small-flat-tree.root");
        RootTree t = f.GetTree("tree");
        Assert.Equal(Enumerable.Range(0, (int)t.Entries), t.GetBranch("Int32").Read(0, t.Entries).As<int>());
        RootBranch str = t.GetBranch("Str");
        Assert.Equal("string", str.TypeName);
        Assert.Equal(Enumerable.Range(0, (int)t.Entries).Select(i => $"evt-{i:000}"), str.Read(0, t.Entries).As<string>());
    }

    [Fact]
    public void Fixed_arrays_have_a_shape()
    {
        using RootFile f = TestData.Open("uproot-sample-6.20.04-uncompressed.root");
        RootBranch ai4 = f.GetTree("sample").GetBranch("ai4");
        Assert.Equal("int32[3]", ai4.TypeName);
        RootArray a = ai4.Read(0, 2);
        Assert.Equal([3], a.Shape);
        Assert.Equal(6, a.Values.Length);
    }

    [Fact]
    public void Unsupported_branches_say_why_and_others_stay_readable()
    {
        // BDSIM's histograms hold a TH1D's TList of functions (a collection of objects of any class).
        using RootFile f = TestData.Open("uproot-issue371.root");
        RootTree t = f.GetTree("Run");
        Assert.Contains(t.Columns, b => b.IsReadable);
        RootBranch bad = t.UnreadableBranches.First();
        Assert.Contains("TList", bad.UnsupportedReason, StringComparison.Ordinal);
        var ex = Assert.Throws<NotSupportedException>(() => bad.Read(0, 1));
        Assert.StartsWith($"unsupported: branch {bad.Name} of class {bad.ClassName}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Leaf_list_members_are_readable()
    {
        using RootFile f = TestData.Open("uproot-leaflist.root");
        RootTree t = f.GetTree("tree");
        RootBranch parent = t.Branches.First(b => b.TypeName == "leaflist");
        Assert.True(parent.IsReadable);
        Assert.False(parent.IsColumn);
        RootBranch[] members = [.. t.Branches.Where(b => b.Name.StartsWith(parent.Name + ".", StringComparison.Ordinal))];
        Assert.True(members.Length >= 2);
        Assert.Equal(members, parent.Columns);
        foreach (RootBranch m in members)
        {
            Assert.Same(parent, m.ColumnOf);
            Assert.Equal(t.Entries, m.Read(0, t.Entries).Entries);
        }
    }

    [Fact]
    public void Random_ranges_equal_slices_of_a_full_read()
    {
        var rng = new Random(1234);
        using RootFile f = TestData.Open("nanoAOD_2015_CMS_Open_Data_ttbar.root");
        RootTree t = f.GetTree("Events");
        RootBranch[] branches = [t.GetBranch("MET_pt"), t.GetBranch("Electron_pt"), t.GetBranch("Jet_pt"), t.GetBranch("nJet")];
        using RootFile z = TestData.Open("uproot-HZZ-lz4.root");
        RootTree hzz = z.GetTree("events");
        branches = [.. branches, hzz.GetBranch("Muon_Px"), hzz.GetBranch("MET_px")];
        foreach (RootBranch b in branches)
        {
            RootArray full = b.Read(0, b.Entries);
            for (int k = 0; k < 40; k++)
            {
                long s = rng.NextInt64(0, b.Entries + 1);
                long e = rng.NextInt64(s, b.Entries + 1);
                RootArray part = b.Read(s, e);
                long v0 = full.Offsets is null ? s : full.Offsets[s];
                long v1 = full.Offsets is null ? e : full.Offsets[e];
                Assert.Equal(Slice(full.Values, v0, v1), part.Values);
                if (full.Offsets is not null)
                {
                    Assert.Equal(full.Offsets[(int)s..(int)(e + 1)].Select(o => o - full.Offsets[s]), part.Offsets!);
                }
            }
        }
    }

    [Theory]
    [InlineData("uproot-HZZ-zlib.root", "Muon_Px")]
    [InlineData("uproot-HZZ-lz4.root", "MET_px")]
    [InlineData("uproot-Zmumu-zstd.root", "px1")]
    public void Consecutive_small_ranges_decompress_each_basket_once(string file, string branch)
    {
        using RootFile f = TestData.Open(file);
        RootArray full = f.GetTree("events").GetBranch(branch).Read(0, f.GetTree("events").Entries);
        RootBranch b = f.GetTree("events").GetBranch(branch);
        var parts = new List<Array>();
        for (long s = 0; s < b.Entries; s += 20)
        {
            parts.Add(b.Read(s, Math.Min(b.Entries, s + 20)).Values);
        }
        Assert.True(b.Entries / 20 > 2 * b.BasketCount);
        Assert.Equal(b.BasketCount, b.BasketsLoaded);
        Assert.Equal(full.Values.Cast<object>(), parts.SelectMany(p => p.Cast<object>()));
    }

    private static Array Slice(Array a, long from, long to)
    {
        var r = Array.CreateInstance(a.GetType().GetElementType()!, to - from);
        Array.Copy(a, from, r, 0, to - from);
        return r;
    }
}
