namespace EnergyRegression.Root.Tests;

/// <summary>
/// Split-object members (TBranchElement), strings and STL containers, checked against the known contents
/// of the scikit-hep files: uproot's small Event tree stores entry i as N = i % 10, strings "beg-%03d",
/// "std-%03d", "end-%03d", pointer arrays and vectors of N copies of i; uproot-stl_containers.root
/// stores entry i as the first i + 1 of "one", "two", "three", "four", "five" (or of 1..5).
/// </summary>
public class ObjectMemberTests
{
    private static readonly string[] Words = ["one", "two", "three", "four", "five"];

    [Theory]
    [InlineData("uproot-small-evnt-tree-fullsplit.root", "tree")]
    [InlineData("uproot-nesteddirs.root", "three/tree")]
    public void Split_event_members_have_their_known_values(string file, string treePath)
    {
        using RootFile f = TestData.Open(file);
        RootTree t = f.GetTree(treePath);
        int n = (int)t.Entries;
        Assert.Equal(100, n);
        int[] counts = [.. Enumerable.Range(0, n).Select(i => i % 10)];
        Assert.Equal(counts, t.GetBranch("N").Read(0, n).As<int>());
        foreach ((string branch, string prefix) in new[] { ("Beg", "beg"), ("Str", "evt"), ("StdStr", "std"), ("End", "end") })
        {
            RootBranch b = t.GetBranch(branch);
            Assert.Equal(RootBranchLayout.String, b.Layout);
            Assert.Equal(Enumerable.Range(0, n).Select(i => $"{prefix}-{i:000}"), b.Read(0, n).As<string>());
        }

        RootBranch slice = t.GetBranch("SliceF64");
        Assert.Equal("float64[N]", slice.TypeName);
        Assert.Same(t.GetBranch("N"), slice.Counter);
        RootArray s = slice.Read(0, n);
        Assert.Equal(Offsets(counts), s.Offsets);
        Assert.Equal(Expand(counts, i => (double)i), s.As<double>());
        Assert.Equal(Expand(counts, i => (short)i), t.GetBranch("SliceI16").Read(0, n).As<short>());
        Assert.Equal(Expand(counts, i => (ulong)i), t.GetBranch("SliceU64").Read(0, n).As<ulong>());

        RootBranch vec = t.GetBranch("StlVecU16");
        Assert.Equal("std::vector<uint16>", vec.TypeName);
        RootArray v = vec.Read(0, n);
        Assert.Equal(Offsets(counts), v.Offsets);
        Assert.Equal(Expand(counts, i => (ushort)i), v.As<ushort>());

        RootBranch strings = t.GetBranch("StlVecStr");
        Assert.Equal(RootBranchLayout.Vector, strings.Layout);
        Assert.Equal(typeof(string), strings.ElementType);
        RootArray vs = strings.Read(0, n);
        Assert.Equal(Offsets(counts), vs.Offsets);
        Assert.Equal(Expand(counts, i => $"vec-{i:000}"), vs.As<string>());

        // Entry ranges that start inside the basket give the same values as the full read.
        long[] o = Offsets(counts);
        Assert.Equal(Expand(counts, i => $"vec-{i:000}")[(int)o[37]..(int)o[41]], strings.Read(37, 41).As<string>());
        Assert.Equal(Enumerable.Range(37, 4).Select(i => $"std-{i:000}"), t.GetBranch("StdStr").Read(37, 41).As<string>());
    }

    [Fact]
    public void Strings_vectors_and_sets_of_the_stl_file()
    {
        using RootFile f = TestData.Open("uproot-stl_containers.root");
        RootTree t = f.GetTree("tree");
        Assert.Equal(5, t.Entries);
        Assert.Equal(Words, t.GetBranch("string").Read(0, 5).As<string>());
        Assert.Equal(Words, t.GetBranch("tstring").Read(0, 5).As<string>());

        int[] sizes = [1, 2, 3, 4, 5];
        RootArray vs = t.GetBranch("vector_string").Read(0, 5);
        Assert.Equal(Offsets(sizes), vs.Offsets);
        Assert.Equal(sizes.SelectMany(k => Words.Take(k)), vs.As<string>());

        RootBranch set = t.GetBranch("set_int32");
        Assert.Equal("std::set<int32>", set.TypeName);
        RootArray si = set.Read(0, 5);
        Assert.Equal(Offsets(sizes), si.Offsets);
        Assert.Equal(sizes.SelectMany(k => Enumerable.Range(1, k)), si.As<int>());

        // vector<vector<string>>: entry i holds i + 1 inner vectors, inner vector j the first j + 1 words.
        RootArray vvs = t.GetBranch("vector_vector_string").Read(4, 5);
        Assert.Equal([0L, 5L], vvs.Offsets!);
        Assert.Equal([0L, 1, 3, 6, 10, 15], vvs.InnerOffsets!);
        Assert.Equal(sizes.SelectMany(k => Words.Take(k)), vvs.As<string>());

        // A set's items come in sorted order: {"one", "three", "two"}.
        RootArray vss = t.GetBranch("vector_set_string").Read(2, 3);
        Assert.Equal(["one", "one", "two", "one", "three", "two"], vss.As<string>());
    }

    [Fact]
    public void Maps_read_as_lists_of_first_and_second()
    {
        // uproot-stl_containers.root: entry i maps the first i + 1 of 1..5 (or of "one".."five") to the same
        // number, to a vector or set of 1..k, or to the word in capitals; string keys come in sorted order.
        using RootFile f = TestData.Open("uproot-stl_containers.root");
        RootTree t = f.GetTree("tree");
        RootBranch map = t.GetBranch("map_int32_int16");
        Assert.True(map.IsReadable, map.UnsupportedReason);
        Assert.Equal(RootBranchLayout.Record, map.Layout);
        Assert.False(map.IsColumn);
        Assert.Equal(["map_int32_int16.first", "map_int32_int16.second"], map.Columns.Select(c => c.Name));
        Assert.Throws<InvalidOperationException>(() => map.Read(0, 1));
        int[] sizes = [1, 2, 3, 4, 5];
        RootArray keys = t.GetBranch("map_int32_int16.first").Read(0, 5);
        RootArray values = t.GetBranch("map_int32_int16.second").Read(0, 5);
        Assert.Equal(Offsets(sizes), keys.Offsets);
        Assert.Equal(sizes.SelectMany(k => Enumerable.Range(1, k)), keys.As<int>());
        Assert.Equal(sizes.SelectMany(k => Enumerable.Range(1, k).Select(v => (short)v)), values.As<short>());

        RootArray words = t.GetBranch("map_string_string.first").Read(4, 5);
        Assert.Equal(["five", "four", "one", "three", "two"], words.As<string>());
        Assert.Equal(["FIVE", "FOUR", "ONE", "THREE", "TWO"], t.GetBranch("map_string_string.second").Read(4, 5).As<string>());

        // map<int, vector<vector<short>>>: three levels of lists.
        RootBranch nested = t.GetBranch("map_int32_vector_vector_int16.second");
        Assert.Equal(RootBranchLayout.Nested, nested.Layout);
        RootArray vv = nested.Read(2, 3);
        Assert.Equal([0L, 3L], vv.NestedOffsets[0]);
        Assert.Equal([0L, 1L, 3L, 6L], vv.NestedOffsets[1]);
        Assert.Equal([0L, 1L, 2L, 4L, 5L, 7L, 10L], vv.NestedOffsets[2]);
        Assert.Equal(new short[] { 1, 1, 1, 2, 1, 1, 2, 1, 2, 3 }, vv.As<short>());
        Assert.Empty(t.UnreadableBranches);
    }

    private static long[] Offsets(int[] counts)
    {
        long[] o = new long[counts.Length + 1];
        for (int i = 0; i < counts.Length; i++)
        {
            o[i + 1] = o[i] + counts[i];
        }
        return o;
    }

    private static T[] Expand<T>(int[] counts, Func<int, T> value) =>
        [.. counts.SelectMany((c, i) => Enumerable.Repeat(value(i), c))];
}

/// <summary>The streamer-info elements, checked against the class uproot's test files were written from.</summary>
public class StreamerElementTests
{
    [Fact]
    public void Event_class_members_are_described()
    {
        using RootFile f = TestData.Open("uproot-small-evnt-tree-fullsplit.root");
        RootStreamerInfo info = f.StreamerInfos.Single(s => s.ClassName == "Event");
        Assert.Equal(39, info.Elements.Count); // Beg, 8 scalars, Str, P3, 8 arrays, N, 8 slices, StdStr, 9 vectors, End
        RootStreamerElement beg = info.Elements[0];
        Assert.Equal(("Beg", "TString", 65), (beg.Name, beg.TypeName, beg.TypeCode));
        RootStreamerElement array = info.Elements.Single(e => e.Name == "ArrayF64");
        Assert.Equal([10], array.Dimensions);
        Assert.Equal(28, array.TypeCode); // kOffsetL + kDouble
        Assert.Equal(80, array.Size);
        RootStreamerElement slice = info.Elements.Single(e => e.Name == "SliceI16");
        Assert.Equal(("TStreamerBasicPointer", "N", 42), (slice.ElementClass, slice.CountName, slice.TypeCode));
        RootStreamerElement vec = info.Elements.Single(e => e.Name == "StlVecF32");
        Assert.Equal(("TStreamerSTL", "vector<float>", 1, 5), (vec.ElementClass, vec.TypeName, vec.StlType, vec.ContainedType));
        Assert.Equal("TStreamerObjectAny", info.Elements.Single(e => e.Name == "P3").ElementClass); // P3 does not inherit TObject
    }

    [Theory]
    [InlineData("uproot-HZZ.root")]
    [InlineData("uproot-stl_containers.root")]
    public void TTree_and_TBranch_layouts_start_with_their_bases(string file)
    {
        using RootFile f = TestData.Open(file);
        RootStreamerInfo tree = f.StreamerInfos.Single(s => s.ClassName == "TTree");
        Assert.Equal(["TNamed", "TAttLine", "TAttFill", "TAttMarker", "fEntries"], tree.Elements.Take(5).Select(e => e.Name));
        Assert.All(tree.Elements.Take(4), e => Assert.Equal("TStreamerBase", e.ElementClass));
        Assert.Equal(1, tree.Elements[0].BaseVersion);
        RootStreamerInfo branch = f.StreamerInfos.Single(s => s.ClassName == "TBranch");
        Assert.Contains(branch.Elements, e => e.Name == "fBasketSeek" && e.TypeCode == 56 && e.CountName == "fMaxBaskets");
    }
}
