using System.Text.Json;
using EnergyRegression.Root.Format;
using EnergyRegression.Root.Writing;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Root.Tests;

/// <summary>
/// The writer: random schemas written and read back identical for every codec, the same files read by
/// JSROOT, the streamer infos it declares equal to ROOT's in the corpus, atomic output, bad calls.
/// </summary>
public sealed class WriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("energyreg-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Type[] Types =
        [typeof(bool), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)];

    /// <summary>A branch of a random schema: a scalar, a fixed array or a jagged array of a counter.</summary>
    private sealed record Spec(string Name, Type Type, int[] Shape, string? Counter);

    /// <summary>What was written, per branch: the values of all entries and, for jagged branches, the counts.</summary>
    private sealed class Expected
    {
        public Dictionary<string, List<object>> Values { get; } = [];
        public Dictionary<string, List<int>> Counts { get; } = [];
    }

    /// <summary>The <see cref="Spec.Counter"/> of a std::vector branch (its sizes are its own).</summary>
    private const string VectorMark = "(vector)";

    private static List<Spec> RandomSchema(Random rng)
    {
        var specs = new List<Spec>();
        int n = rng.Next(4, 9);
        for (int i = 0; i < n; i++)
        {
            Type t = Types[rng.Next(Types.Length)];
            specs.Add(rng.Next(4) switch
            {
                0 => new Spec($"fixed{i}", t, rng.Next(2) == 0 ? [rng.Next(1, 5)] : [rng.Next(1, 4), rng.Next(1, 4)], null),
                1 or 2 => new Spec($"jag{i}", t, rng.Next(3) == 0 ? [2] : [], rng.Next(2) == 0 ? "nA" : "nB"),
                _ => new Spec($"scalar{i}", t, [], null),
            });
        }
        // Every type at least once as a jagged member of nA.
        foreach (Type t in Types)
        {
            specs.Add(new Spec($"all_{t.Name}", t, [], "nA"));
        }
        specs.Add(new Spec("pairs", typeof(float), [2], "nB"));
        specs.Add(new Spec("vec_f", typeof(float), [], VectorMark));
        specs.Add(new Spec("vec_l", typeof(long), [], VectorMark));
        specs.Add(new Spec("vec_b", typeof(bool), [], VectorMark));
        specs.Add(new Spec("label", typeof(string), [], null));
        return specs;
    }

    private static object RandomValue(Random rng, Type t) => t switch
    {
        _ when t == typeof(bool) => rng.Next(2) == 1,
        _ when t == typeof(sbyte) => (sbyte)rng.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        _ when t == typeof(byte) => (byte)rng.Next(256),
        _ when t == typeof(short) => (short)rng.Next(short.MinValue, short.MaxValue + 1),
        _ when t == typeof(ushort) => (ushort)rng.Next(ushort.MaxValue + 1),
        _ when t == typeof(int) => rng.Next(int.MinValue, int.MaxValue),
        _ when t == typeof(uint) => (uint)rng.NextInt64(uint.MaxValue + 1L),
        _ when t == typeof(long) => rng.NextInt64(long.MinValue, long.MaxValue),
        _ when t == typeof(ulong) => (ulong)rng.NextInt64() * 2 + (ulong)rng.Next(2),
        _ when t == typeof(float) => rng.Next(20) switch { 0 => float.NaN, 1 => float.PositiveInfinity, 2 => float.NegativeInfinity, 3 => -0f, _ => (float)(rng.NextDouble() * 200 - 100) },
        _ when t == typeof(string) => rng.Next(10) switch
        {
            0 => "",
            1 => new string('x', 300 + rng.Next(100)),
            2 => "énergie – calibrée ✓",
            _ => $"label-{rng.Next(1000)}",
        },
        _ => rng.Next(20) switch { 0 => double.NaN, 1 => double.PositiveInfinity, 2 => double.NegativeInfinity, 3 => double.Epsilon, _ => rng.NextDouble() * 1e6 - 5e5 },
    };

    private static Array ToArray(Type t, List<object> items)
    {
        var a = Array.CreateInstance(t, items.Count);
        for (int i = 0; i < items.Count; i++)
        {
            a.SetValue(items[i], i);
        }
        return a;
    }

    /// <summary>Writes a random tree in chunks of random sizes; one entry of nA holds 5000 items (bigger than a basket).</summary>
    private static Expected WriteRandom(string path, RootWriteOptions options, int seed, out List<Spec> specs)
    {
        var rng = new Random(seed);
        specs = RandomSchema(rng);
        var expected = new Expected();
        using var file = RootFileWriter.Create(path, options);
        RootTreeWriter tree = file.CreateTree("t", "random tree");
        foreach (Spec s in specs)
        {
            if (s.Type == typeof(string))
            {
                tree.AddStringBranch(s.Name);
            }
            else if (s.Counter == VectorMark)
            {
                tree.AddVectorBranch(s.Name, s.Type);
            }
            else if (s.Counter is null)
            {
                tree.AddBranch(s.Name, s.Type, s.Shape);
            }
            else
            {
                tree.AddJaggedBranch(s.Name, s.Type, s.Counter, s.Shape);
            }
            expected.Values[s.Name] = [];
        }
        expected.Values["nA"] = [];
        expected.Values["nB"] = [];
        long entry = 0;
        for (int chunk = 0; chunk < 6; chunk++)
        {
            int n = chunk == 2 ? 0 : rng.Next(1, 700);
            var counts = new Dictionary<string, int[]>
            {
                ["nA"] = [.. Enumerable.Range(0, n).Select(e => entry + e == 777 ? 5000 : rng.Next(4) == 0 ? 0 : rng.Next(0, 12))],
                ["nB"] = [.. Enumerable.Range(0, n).Select(_ => rng.Next(0, 3))],
            };
            counts[VectorMark] = [.. Enumerable.Range(0, n).Select(_ => rng.Next(3) == 0 ? 0 : rng.Next(0, 30))];
            var sizes = new Dictionary<string, int[]>();
            var columns = new Dictionary<string, Array> { ["nA"] = counts["nA"], ["nB"] = counts["nB"] };
            expected.Values["nA"].AddRange(counts["nA"].Cast<object>());
            expected.Values["nB"].AddRange(counts["nB"].Cast<object>());
            foreach (Spec s in specs)
            {
                int per = s.Shape.Aggregate(1, (a, d) => a * d);
                long total = s.Counter is null ? (long)n * per : counts[s.Counter].Sum() * (long)per;
                var values = new List<object>();
                for (long i = 0; i < total; i++)
                {
                    values.Add(RandomValue(rng, s.Type));
                }
                expected.Values[s.Name].AddRange(values);
                columns[s.Name] = ToArray(s.Type, values);
                if (s.Counter == VectorMark)
                {
                    sizes[s.Name] = counts[VectorMark];
                    expected.Counts[s.Name] = [.. (expected.Counts.GetValueOrDefault(s.Name) ?? []), .. counts[VectorMark]];
                }
            }
            tree.Append(n, columns, sizes);
            entry += n;
        }
        file.Commit();
        return expected;
    }

    [Theory]
    [InlineData(RootCompression.None, 1)]
    [InlineData(RootCompression.Zlib, 1)]
    [InlineData(RootCompression.Zlib, 9)]
    [InlineData(RootCompression.Lz4, 1)]
    [InlineData(RootCompression.Lz4, 9)]
    [InlineData(RootCompression.Zstd, 5)]
    [InlineData(RootCompression.Lzma, 6)]
    public void Random_trees_read_back_identical(RootCompression codec, int level)
    {
        for (int seed = 0; seed < 3; seed++)
        {
            string path = Path.Combine(_dir, $"random-{codec}-{level}-{seed}.root");
            Expected expected = WriteRandom(path, new RootWriteOptions(codec, level, BasketSize: 4096), seed, out List<Spec> specs);
            Assert.False(File.Exists(path + ".partial"));
            using var f = RootFile.Open(path);
            RootTree t = f.GetTree("t");
            long entries = expected.Values["nA"].Count;
            Assert.Equal(entries, t.Entries);
            foreach ((string name, List<object> values) in expected.Values)
            {
                RootBranch b = t.GetBranch(name);
                Assert.True(b.IsReadable, $"{name}: {b.UnsupportedReason}");
                Assert.Equal(entries, b.Entries);
                RootArray a = b.Read(0, entries);
                Assert.Equal(values.Count, a.Values.Length);
                for (int i = 0; i < values.Count; i++)
                {
                    // Equals compares NaN with NaN as equal and keeps −0 apart from 0 through the bits of the value.
                    Assert.True(values[i].Equals(a.Values.GetValue(i)), $"{codec} seed {seed} branch {name} value {i}: wrote {values[i]}, read {a.Values.GetValue(i)}");
                }
                Spec? spec = specs.FirstOrDefault(s => s.Name == name);
                if (spec?.Counter == VectorMark)
                {
                    Assert.Equal(RootBranchLayout.Vector, b.Layout);
                    long[] offsets = a.Offsets!;
                    Assert.Equal(expected.Counts[name], Enumerable.Range(0, (int)entries).Select(e => (int)(offsets[e + 1] - offsets[e])));
                }
                else if (spec?.Type == typeof(string))
                {
                    Assert.Equal("string", b.TypeName);
                }
                else if (spec?.Counter is { } counter)
                {
                    Assert.Equal(counter, b.Counter?.Name);
                    long[] offsets = a.Offsets!;
                    List<object> counts = expected.Values[counter];
                    for (int e = 0; e < entries; e++)
                    {
                        Assert.Equal((int)counts[e], offsets[e + 1] - offsets[e]);
                    }
                }
                if (spec is { Counter: null, Shape.Length: > 0 })
                {
                    Assert.Equal(spec.Shape, b.Shape);
                }
            }
            // Several baskets: each branch closes its own when it holds the basket size.
            Assert.True(t.Branches.Max(b => b.BasketCount) > 3, string.Join(", ", t.Branches.Select(b => $"{b.Name}: {b.BasketCount}")));
        }
    }

    [Theory]
    [InlineData(RootCompression.None)]
    [InlineData(RootCompression.Zlib)]
    [InlineData(RootCompression.Lz4)]
    [InlineData(RootCompression.Zstd)]
    [InlineData(RootCompression.Lzma)]
    public void Jsroot_reads_what_was_written(RootCompression codec)
    {
        Assert.True(JsrootOracle.IsAvailable, JsrootOracle.UnavailableReason);
        string path = Path.Combine(_dir, $"jsroot-{codec}.root");
        Expected expected = WriteRandom(path, new RootWriteOptions(codec, 5, BasketSize: 8192), seed: 42, out List<Spec> specs);
        IReadOnlyList<JsonElement> rows = JsrootOracle.Dump(path, "t");
        Assert.Equal(expected.Values["nA"].Count, rows.Count);
        foreach ((string name, List<object> values) in expected.Values)
        {
            // JSROOT returns fixed arrays of flat leaves flat (it reads only fLen), jagged ones per entry: compare flat.
            var read = new List<JsonElement>();
            foreach (JsonElement row in rows)
            {
                Flatten(row.GetProperty(name), read);
            }
            Assert.Equal(values.Count, read.Count);
            for (int i = 0; i < values.Count; i++)
            {
                Assert.True(SameValue(values[i], read[i]), $"{codec}: branch {name} value {i}: wrote {values[i]}, JSROOT read {read[i]}");
            }
        }
    }

    private static void Flatten(JsonElement e, List<JsonElement> into)
    {
        if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement x in e.EnumerateArray())
            {
                Flatten(x, into);
            }
        }
        else
        {
            into.Add(e);
        }
    }

    /// <summary>The oracle's JSON (tests/oracles/jsroot/README.md): numbers exact, NaN/±∞ as strings, bool as true/false, float32 as its double value.</summary>
    private static bool SameValue(object written, JsonElement read) => written switch
    {
        bool b => read.ValueKind == (b ? JsonValueKind.True : JsonValueKind.False),
        float f when float.IsNaN(f) || float.IsInfinity(f) => read.GetString() == (float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity"),
        double d when double.IsNaN(d) || double.IsInfinity(d) => read.GetString() == (double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity"),
        float f => read.GetDouble() == f,
        double d => read.GetDouble() == d,
        ulong u => read.GetUInt64() == u,
        long l => read.GetInt64() == l,
        string text => read.GetString() == text,
        _ => read.GetInt64() == Convert.ToInt64(written, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Where each class of the catalog was read from (see <see cref="StreamerCatalog"/>).</summary>
    public static TheoryData<string, string> CatalogSources()
    {
        var data = new TheoryData<string, string>();
        foreach (StreamerInfoModel c in StreamerCatalog.Classes)
        {
            string file = c.ClassName switch
            {
                "TLeafS" => "uproot-sample-5.30.00-zlib.root",
                "TLeafD" or "TLeafC" => "uproot-Zmumu-lz4.root",
                "TBranchElement" or "TLeafElement" => "uproot-nesteddirs.root",
                _ => "nanoAOD_2015_CMS_Open_Data_ttbar.root",
            };
            data.Add(c.ClassName, file);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CatalogSources))]
    public void Declared_streamer_infos_equal_roots_own(string className, string corpusFile)
    {
        StreamerInfoModel mine = StreamerCatalog.Get(className);
        using RootFile f = TestData.Open(corpusFile);
        RootStreamerInfo theirs = f.StreamerInfos.Where(s => s.ClassName == className).MaxBy(s => s.ClassVersion)!;
        Assert.Equal(theirs.ClassVersion, mine.ClassVersion);
        Assert.Equal(theirs.CheckSum, mine.CheckSum);
        Assert.Equal(theirs.Elements.Count, mine.Elements.Count);
        for (int i = 0; i < mine.Elements.Count; i++)
        {
            RootStreamerElement a = theirs.Elements[i];
            RootStreamerElement b = mine.Elements[i];
            Assert.Equal(a with { Dimensions = [] }, b with { Dimensions = [] });
            Assert.Equal(a.Dimensions, b.Dimensions);
        }
    }

    [Fact]
    public void Written_streamer_infos_read_back_as_declared()
    {
        string path = Path.Combine(_dir, "infos.root");
        WriteRandom(path, new RootWriteOptions(), seed: 7, out _);
        using var f = RootFile.Open(path);
        Assert.Equal(StreamerCatalog.Classes.Select(c => (c.ClassName, c.ClassVersion, c.CheckSum)), f.StreamerInfos.Take(StreamerCatalog.Classes.Count).Select(s => (s.ClassName, s.ClassVersion, s.CheckSum)));
        foreach (RootStreamerInfo info in f.StreamerInfos.Take(StreamerCatalog.Classes.Count))
        {
            Assert.Equal(StreamerCatalog.Get(info.ClassName).Elements.Count, info.Elements.Count);
        }
        // Then the vector classes the tree uses, described as ROOT describes vector<int>.
        Assert.Equal(["vector<float>", "vector<Long64_t>", "vector<bool>"], f.StreamerInfos.Skip(StreamerCatalog.Classes.Count).Select(s => s.ClassName));
        RootStreamerElement e = Assert.Single(f.StreamerInfos.Single(s => s.ClassName == "vector<float>").Elements);
        Assert.Equal(("TStreamerSTL", "This", 500, 1, 5), (e.ElementClass, e.Name, e.TypeCode, e.StlType, e.ContainedType));
    }

    [Fact]
    public void Stl_class_checksums_follow_roots_rule()
    {
        // The values ROOT 6.20 wrote into uproot-stl_containers.root.
        Assert.Equal(0x00983b88u, BranchWriter.ClassCheckSum("vector<int>"));
        Assert.Equal(0x100e72bcu, BranchWriter.ClassCheckSum("vector<string>"));
        using RootFile f = TestData.Open("uproot-stl_containers.root");
        RootStreamerElement theirs = f.StreamerInfos.Single(s => s.ClassName == "vector<int>").Elements.Single();
        var mine = new BranchWriter("v", BranchKind.Vector, LeafType.Of(typeof(int), "v"), [], null).VectorStreamerInfo();
        Assert.Equal(theirs, mine.Elements.Single() with { Dimensions = theirs.Dimensions });
    }

    [Fact]
    public void Each_branch_fills_its_own_baskets_and_clusters_close_them_all_together()
    {
        // A 32 × 32 window (4 KB per entry) next to an int: the window's baskets must not cut the int's
        // into 8-entry pieces; every ClusterBytes all branches close at one entry.
        string path = Path.Combine(_dir, "baskets.root");
        const int Entries = 9000; // 36.9 MB of windows: one cluster boundary after ~30 MB
        using (var file = RootFileWriter.Create(path, new RootWriteOptions(RootCompression.Lz4, 1, BasketSize: 32000)))
        {
            RootTreeWriter t = file.CreateTree("Events");
            t.AddBranch("id", typeof(int));
            t.AddBranch("window", typeof(float), 32, 32);
            for (int start = 0; start < Entries; start += 1000)
            {
                int[] ids = [.. Enumerable.Range(start, 1000)];
                float[] windows = [.. Enumerable.Range(start * 1024, 1000 * 1024).Select(i => (float)(i % 977))];
                t.Append(1000, new Dictionary<string, Array> { ["id"] = ids, ["window"] = windows });
            }
            file.Commit();
        }
        using var f = RootFile.Open(path);
        RootTree tree = f.GetTree("Events");
        RootBranch id = tree.GetBranch("id");
        RootBranch window = tree.GetBranch("window");
        // 36 000 bytes of ids: one basket per cluster (2), not one per window basket (~1150).
        Assert.Equal(2, id.BasketCount);
        // A basket closes once it holds ≥ 32 000 bytes: 8 windows; the cluster boundary may split one.
        Assert.InRange(window.BasketCount, Entries / 8, Entries / 8 + 1);
        Assert.Equal(Enumerable.Range(0, Entries), id.Read(0, Entries).As<int>());
        Assert.Equal(Enumerable.Range(8990 * 1024, 10 * 1024).Select(i => (float)(i % 977)), window.Read(8990, Entries).As<float>());
        // The cluster boundary is where both branches close a basket: the first entry of id's second basket.
        long boundary = id.BasketRanges().ElementAt(1).First;
        Assert.Contains(window.BasketRanges(), r => r.First == boundary);
    }

    [Fact]
    public void Records_beyond_4_GB_use_64_bit_seeks()
    {
        // A 4.5 GB hole (sparse, no disk space used) before the first basket and between baskets: every seek
        // of the baskets, the tree, the keys list and the header's fEND / fSeekInfo lies beyond 2^32.
        string path = Path.Combine(_dir, "big.root");
        const long gap = 4_500_000_000;
        using (var file = RootFileWriter.Create(path, new RootWriteOptions(RootCompression.Zstd, 3, BasketSize: 1024)))
        {
            RootTreeWriter t = file.CreateTree("Events");
            t.AddBranch("i", typeof(long));
            t.AddJaggedBranch("pt", typeof(float), "n");
            file.LeaveGap(gap);
            for (int chunk = 0; chunk < 4; chunk++)
            {
                long[] ids = [.. Enumerable.Range(chunk * 300, 300).Select(i => (long)i)];
                int[] counts = [.. ids.Select(i => (int)(i % 4))];
                float[] pts = [.. ids.SelectMany(i => Enumerable.Repeat(i * 0.5f, (int)(i % 4)))];
                t.Append(300, new Dictionary<string, Array> { ["i"] = ids, ["n"] = counts, ["pt"] = pts });
                file.LeaveGap(gap / 10);
            }
            file.Commit();
        }
        Assert.True(new FileInfo(path).Length > gap);
        using var f = RootFile.Open(path);
        Assert.True(f.Version > 1_000_000);
        RootKey key = f.Root.FindKey("Events")!;
        Assert.True(key.Seek > uint.MaxValue);
        RootTree tree = f.GetTree("Events");
        Assert.Equal(1200, tree.Entries);
        RootBranch pt = tree.GetBranch("pt");
        Assert.True(pt.BasketCount >= 4);
        Assert.Equal(Enumerable.Range(0, 1200).Select(i => (long)i), tree.GetBranch("i").Read(0, 1200).As<long>());
        RootArray a = pt.Read(1100, 1200);
        Assert.Equal(Enumerable.Range(1100, 100).SelectMany(i => Enumerable.Repeat(i * 0.5f, i % 4)), a.As<float>());
    }

    [Theory]
    [InlineData("uproot-Zmumu.root", "events", RootCompression.Zlib)]
    [InlineData("uproot-HZZ-lz4.root", "events", RootCompression.Lz4)]
    [InlineData("nanoAOD_2015_CMS_Open_Data_ttbar.root", "Events", RootCompression.Zstd)]
    [InlineData("uproot-sample-6.20.04-uncompressed.root", "sample", RootCompression.None)]
    [InlineData("uproot-stl_containers.root", "tree", RootCompression.Lzma)]
    public void Corpus_trees_copied_through_the_writer_read_back_equal(string name, string treeName, RootCompression codec)
    {
        using RootFile input = TestData.Open(name);
        RootTree source = input.GetTree(treeName);
        string path = Path.Combine(_dir, "copy-" + name);
        var copied = new List<RootBranch>();
        using (var file = RootFileWriter.Create(path, new RootWriteOptions(codec, 3, BasketSize: 16000)))
        {
            RootTreeWriter tree = file.CreateTree(treeName);
            var columns = new Dictionary<string, Array>();
            var sizes = new Dictionary<string, int[]>();
            foreach (RootBranch b in source.Branches.Where(b => b.IsReadable && b.IsColumn && b.ColumnOf is null && !b.Name.Contains('.', StringComparison.Ordinal)))
            {
                RootArray a = b.Read(0, source.Entries);
                switch (b.Layout)
                {
                    case RootBranchLayout.Fixed when b.ElementType != typeof(string):
                        if (!copied.Any(c => c.Counter == b))
                        {
                            tree.AddBranch(b.Name, b.ElementType, [.. b.Shape]);
                        }
                        break;
                    case RootBranchLayout.Counted:
                        tree.AddJaggedBranch(b.Name, b.ElementType, b.Counter!.Name, [.. b.Shape]);
                        break;
                    case RootBranchLayout.Vector when b.ElementType != typeof(string):
                        tree.AddVectorBranch(b.Name, b.ElementType);
                        sizes[b.Name] = [.. Enumerable.Range(0, (int)source.Entries).Select(e => (int)(a.Offsets![e + 1] - a.Offsets[e]))];
                        break;
                    case RootBranchLayout.String:
                        tree.AddStringBranch(b.Name);
                        break;
                    default:
                        continue;
                }
                columns[b.Name] = a.Values;
                copied.Add(b);
            }
            // Counters are declared by their first jagged branch when they come later in the tree.
            foreach (RootBranch counter in copied.Where(b => b.Counter is not null).Select(b => b.Counter!).Distinct().Where(c => !columns.ContainsKey(c.Name)))
            {
                columns[counter.Name] = Array.ConvertAll(counter.Read(0, source.Entries).As<int>(), v => v);
            }
            tree.Append((int)source.Entries, columns, sizes);
            file.Commit();
        }
        Assert.True(copied.Count >= 3, $"only {copied.Count} branches copied");
        using var output = RootFile.Open(path);
        RootTree copy = output.GetTree(treeName);
        Assert.Equal(source.Entries, copy.Entries);
        foreach (RootBranch b in copied)
        {
            RootArray expected = b.Read(0, source.Entries);
            RootBranch c = copy.GetBranch(b.Name);
            Assert.Equal(b.TypeName.Replace("std::set", "std::vector", StringComparison.Ordinal), c.TypeName); // a set is written as the vector it streams like
            RootArray actual = c.Read(0, copy.Entries);
            Assert.Equal(expected.Values.Cast<object>(), actual.Values.Cast<object>());
            Assert.Equal(expected.Offsets, actual.Offsets);
        }
    }

    [Theory]
    [InlineData(RootCompression.Zstd)]
    [InlineData(RootCompression.Zlib)]
    public void Copied_branches_keep_their_baskets_and_new_ones_join_them(RootCompression codec)
    {
        // Two "input files" (the same HZZ file twice) as one stream: the branches are copied without decompressing
        // their baskets, and a new jagged branch written next to them uses the copied counter.
        string name = "uproot-HZZ-zlib.root";
        using RootFile a = TestData.Open(name);
        using RootFile b = TestData.Open(name);
        RootTree ta = a.GetTree("events");
        RootTree tb = b.GetTree("events");
        string path = Path.Combine(_dir, "copied.root");
        int raw;
        using (var file = RootFileWriter.Create(path, new RootWriteOptions(codec, 3)))
        {
            RootTreeWriter tree = file.CreateTree("events");
            foreach (string branch in new[] { "MET_px", "Muon_Px", "Jet_ID", "NMuon" })
            {
                if (tree.Entries == 0 && branch != "NMuon")
                {
                    tree.CopyBranch([ta.GetBranch(branch), tb.GetBranch(branch)]);
                }
            }
            tree.AddJaggedBranch("Muon_PxCalib", typeof(float), "NMuon");
            foreach (RootTree t in new[] { ta, tb })
            {
                RootArray px = t.GetBranch("Muon_Px").Read(0, t.Entries);
                int[] counts = t.GetBranch("NMuon").Read(0, t.Entries).As<int>();
                tree.Append((int)t.Entries, new Dictionary<string, Array> { ["NMuon"] = counts, ["Muon_PxCalib"] = px.As<float>().Select(v => v * 1.5f).ToArray() });
            }
            file.Commit();
            raw = tree.RawCopies;
        }
        using var output = RootFile.Open(path);
        RootTree copy = output.GetTree("events");
        Assert.Equal(2 * ta.Entries, copy.Entries);
        Assert.True(raw >= 8, $"{raw} baskets copied raw");
        foreach (string branch in new[] { "MET_px", "Muon_Px", "Jet_ID", "NMuon" })
        {
            RootArray one = ta.GetBranch(branch).Read(0, ta.Entries);
            RootArray both = copy.GetBranch(branch).Read(0, copy.Entries);
            Assert.Equal(one.Values.Cast<object>().Concat(one.Values.Cast<object>()), both.Values.Cast<object>());
            Assert.Equal(ta.GetBranch(branch).TypeName, copy.GetBranch(branch).TypeName);
        }
        RootArray calib = copy.GetBranch("Muon_PxCalib").Read(0, copy.Entries);
        RootArray muon = copy.GetBranch("Muon_Px").Read(0, copy.Entries);
        Assert.Equal(muon.Offsets, calib.Offsets);
        Assert.Equal(muon.As<float>().Select(v => v * 1.5f), calib.As<float>());
        Assert.True(JsrootOracle.IsAvailable, JsrootOracle.UnavailableReason);
        IReadOnlyList<JsonElement> rows = JsrootOracle.Dump(path, "events", ["NMuon", "Muon_Px", "Muon_PxCalib"], (2420, 2423));
        Assert.Equal(3, rows.Count);
        Assert.Equal(rows[2].GetProperty("NMuon").GetInt32(), rows[2].GetProperty("Muon_PxCalib").GetArrayLength());
    }

    [Fact]
    public void Baskets_stored_inside_a_TBranch_are_rewritten_when_copied()
    {
        using RootFile nano = TestData.Open("nanoAOD_2015_CMS_Open_Data_ttbar.root");
        RootTree events = nano.GetTree("Events");
        string path = Path.Combine(_dir, "nano-copy.root");
        using (var file = RootFileWriter.Create(path))
        {
            RootTreeWriter tree = file.CreateTree("Events");
            tree.CopyBranch([events.GetBranch("Electron_pt")]);
            tree.CopyBranch([events.GetBranch("MET_pt")]);
            var ex = Assert.Throws<ArgumentException>(() => RootFileWriter.Create(Path.Combine(_dir, "x.root")).CreateTree("t").CopyBranch([TestData.Open("uproot-small-evnt-tree-fullsplit.root").GetTree("tree").GetBranch("SliceI16")]));
            Assert.Contains("cannot be copied", ex.Message, StringComparison.Ordinal);
            file.Commit();
        }
        using var output = RootFile.Open(path);
        RootTree copy = output.GetTree("Events");
        Assert.Equal(events.Entries, copy.Entries);
        Assert.Equal(["nElectron", "Electron_pt", "MET_pt"], copy.Branches.Select(b => b.Name));
        foreach (string branch in new[] { "nElectron", "Electron_pt", "MET_pt" })
        {
            Assert.Equal(events.GetBranch(branch).Read(0, events.Entries).Values.Cast<object>(), copy.GetBranch(branch).Read(0, copy.Entries).Values.Cast<object>());
        }
    }

    [Fact]
    public void Nothing_appears_under_the_final_name_without_commit()
    {
        string path = Path.Combine(_dir, "uncommitted.root");
        using (var file = RootFileWriter.Create(path))
        {
            RootTreeWriter t = file.CreateTree("t");
            t.AddBranch("x", typeof(float));
            t.Append(3, new Dictionary<string, Array> { ["x"] = new[] { 1f, 2, 3 } });
            Assert.True(File.Exists(path + ".partial"));
            Assert.False(File.Exists(path));
        }
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }

    [Fact]
    public void Bad_calls_are_refused_with_the_branch_named()
    {
        using var file = RootFileWriter.Create(Path.Combine(_dir, "bad.root"));
        RootTreeWriter t = file.CreateTree("t");
        t.AddBranch("x", typeof(float));
        t.AddJaggedBranch("pt", typeof(float), "n");
        Assert.Contains("branch d: type Decimal cannot be written", Assert.Throws<ArgumentException>(() => t.AddBranch("d", typeof(decimal))).Message, StringComparison.Ordinal);
        Assert.Contains("already has a branch 'x'", Assert.Throws<ArgumentException>(() => t.AddBranch("x", typeof(int))).Message, StringComparison.Ordinal);
        Assert.Contains("counter x must be a scalar int32", Assert.Throws<ArgumentException>(() => t.AddJaggedBranch("e", typeof(float), "x")).Message, StringComparison.Ordinal);
        Assert.Contains("branch pt: 2 values given", Assert.Throws<ArgumentException>(() => t.Append(2, new Dictionary<string, Array>
        {
            ["x"] = new[] { 1f, 2f }, ["n"] = new[] { 1, 2 }, ["pt"] = new[] { 1f, 2f },
        })).Message, StringComparison.Ordinal);
        Assert.Contains("negative count", Assert.Throws<ArgumentException>(() => t.Append(1, new Dictionary<string, Array>
        {
            ["x"] = new[] { 1f }, ["n"] = new[] { -1 }, ["pt"] = Array.Empty<float>(),
        })).Message, StringComparison.Ordinal);
        Assert.Contains("holds Single", Assert.Throws<ArgumentException>(() => t.Append(1, new Dictionary<string, Array>
        {
            ["x"] = new[] { 1.0 }, ["n"] = new[] { 0 }, ["pt"] = Array.Empty<float>(),
        })).Message, StringComparison.Ordinal);
        Assert.Equal(0, t.Entries);
        Assert.Throws<ArgumentOutOfRangeException>(() => RootFileWriter.Create(Path.Combine(_dir, "x.root"), new RootWriteOptions(RootCompression.Zstd, 42)));
    }
}
