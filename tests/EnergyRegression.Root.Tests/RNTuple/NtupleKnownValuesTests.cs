namespace EnergyRegression.Root.Tests.RNTuple;

/// <summary>
/// RNTuples ROOT wrote (../shared/testdata/rntuple) read against their known contents — the values their generating
/// macros wrote, as the scikit-hep test suites state them — where JSROOT cannot be the oracle (it misreads truncated
/// and quantized reals, deferred columns and several representations) or where the point is a format feature.
/// Every value is also compared with JSROOT in tests/EnergyRegression.EndToEnd.Tests/NtupleCommandsTests.cs.
/// </summary>
public sealed class NtupleKnownValuesTests
{
    private static RootNtuple Open(string file, string name, out RootFile root)
    {
        root = RootFile.Open(TestData.NtuplePathOf(file));
        return root.GetNtuple(name);
    }

    private static T[] Values<T>(NtupleArray array) => (T[])((NtupleLeafArray)array).Values;

    [Fact]
    public void Truncated_reals_keep_their_top_bits_and_quantized_reals_their_nearest_step()
    {
        RootNtuple n = Open("test_float_types_rntuple_v1-0-0-0.root", "ntuple", out RootFile file);
        using (file)
        {
            float[] truncated = [1.23456789f, 1.4660155e13f, -6.2875986e-22f, -1.9060668f];
            foreach (int bits in new[] { 10, 16, 24, 31 })
            {
                float[] expected = [.. truncated.Select(v => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & (uint.MaxValue << (32 - bits))))];
                Assert.Equal(expected, Values<float>(n.Read($"trunc{bits}", 0, 4)));
                Assert.Equal("Real32Trunc", n.GetField($"trunc{bits}").Columns[0].Type);
                Assert.Equal(bits, n.GetField($"trunc{bits}").Columns[0].BitsOnStorage);
            }
            // Quantized into [-2, 3] with 2^bits - 1 steps: q = floor(0.5 + (x - min) (2^bits - 1) / (max - min)), read back as min + q step.
            float[] quantized = [1.23456789f, 1.6666666f, -6.2875986e-22f, -1.9060668f];
            foreach (int bits in new[] { 1, 8, 16, 20, 24, 25, 32 })
            {
                double steps = Math.Pow(2, bits) - 1;
                float[] expected = [.. quantized.Select(x => (float)(Math.Floor(0.5 + (x + 2.0) * steps / 5.0) * (5.0 / steps) - 2.0))];
                Assert.Equal(expected, Values<float>(n.Read($"quant{bits}", 0, 4)));
                Assert.Equal((-2.0, 3.0), n.GetField($"quant{bits}").Columns[0].Range);
            }
            Assert.Equal([3f, 3f, -2f, -2f], Values<float>(n.Read("quant1", 0, 4)));
        }
    }

    [Fact]
    public void Fields_added_while_writing_read_as_zeros_before_they_existed()
    {
        RootNtuple n = Open("test_extension_columns_rntuple_v1-0-0-0.root", "ntuple", out RootFile file);
        using (file)
        {
            Assert.Equal(600, n.Entries);
            Assert.True(n.ClusterCount >= 2);
            Assert.False(n.GetField("int_field").IsLateAdded);
            Assert.True(n.GetField("float_field").IsLateAdded);
            Assert.True(n.GetField("intvec_field").IsLateAdded);
            int[] ints = Values<int>(n.Read("int_field", 0, 600));
            float[] floats = Values<float>(n.Read("float_field", 0, 600));
            var vectors = (NtupleListArray)n.Read("intvec_field", 0, 600);
            int[] items = Values<int>(vectors.Content);
            for (int e = 0; e < 600; e++)
            {
                Assert.Equal(e % 200, ints[e]);
                Assert.Equal(e >= 200 ? e % 200 + 0.5f : 0f, floats[e]);
                int[] expected = e >= 400 ? [e % 200, e % 200 + 1] : [];
                Assert.Equal(expected, items[(int)vectors.Offsets[e]..(int)vectors.Offsets[e + 1]]);
            }
            // Ranges that start inside a cluster and inside the stored part of a deferred column.
            Assert.Equal(floats[210..505], Values<float>(n.Read("float_field", 210, 505)));
        }
    }

    [Fact]
    public void A_field_with_two_representations_reads_the_active_one_in_each_cluster()
    {
        RootNtuple n = Open("test_multiple_representations_rntuple_v1-0-0-0.root", "ntuple", out RootFile file);
        using (file)
        {
            Assert.Equal(3, n.ClusterCount);
            RootNtupleField real = n.GetField("real");
            Assert.Equal([0, 1], real.Columns.Select(c => c.Representation));
            Assert.Equal([1f, 2f, 3f], Values<float>(n.Read(real, 0, 3)));
            Assert.Equal([2f, 3f], Values<float>(n.Read(real, 1, 3)));
        }
    }

    [Fact]
    public void A_hundred_million_entries_in_deduplicated_pages_are_reached_without_reading_them_all()
    {
        RootNtuple n = Open("test_int_multicluster_rntuple_v1-0-0-0.root", "ntuple", out RootFile file);
        using (file)
        {
            Assert.Equal(100_000_000, n.Entries);
            Assert.Equal([(short)2, (short)1], Values<short>(n.Read("one_integers", 49_999_999, 50_000_001)));
            Assert.Equal([(short)1], Values<short>(n.Read("one_integers", 99_999_999, 100_000_000)));
            Assert.Equal([(short)2], Values<short>(n.Read("one_integers", 0, 1)));
            Assert.True(n.PagesLoaded <= 4, $"{n.PagesLoaded} pages decoded for four entries");
        }
    }

    [Fact]
    public void Bits_bitsets_atomics_variants_and_empty_records()
    {
        RootNtuple bit = Open("test_bit_rntuple_v1-0-0-0.root", "ntuple", out RootFile f1);
        using (f1)
        {
            Assert.Equal([true, false, false, true, false, false, true, false, false, true], Values<bool>(bit.Read("one_bit", 0, 10)));
        }
        RootNtuple atomic = Open("test_atomic_bitset_rntuple_v1-0-0-0.root", "ntuple", out RootFile f2);
        using (f2)
        {
            Assert.Equal(RootNtupleFieldKind.Wrapper, atomic.GetField("atomic_int").Kind);
            Assert.Equal([1, 2, 3], Values<int>(atomic.Read("atomic_int", 0, 3)));
            var bits = (NtupleFixedArray)atomic.Read("bitset", 0, 3);
            Assert.Equal(42, bits.Size);
            bool[] flat = Values<bool>(bits.Content);
            long[] words = [.. Enumerable.Range(0, 3).Select(e => Enumerable.Range(0, 42).Where(i => flat[e * 42 + i]).Sum(i => 1L << i))];
            long first = 42 | 0b1010101010101010;
            Assert.Equal([42L, first, first & 0b1100110011001100], words);
        }
        RootNtuple odd = Open("test_emptystruct_invalidvar_rntuple_v1-0-0-0.root", "ntuple", out RootFile f3);
        using (f3)
        {
            var empty = (NtupleRecordArray)odd.Read("empty_struct", 0, 3);
            Assert.Equal(3, empty.Length);
            Assert.Empty(empty.Fields);
            var variant = (NtupleVariantArray)odd.Read("variant", 0, 3);
            Assert.Equal([(byte)1, (byte)0, (byte)2], variant.Tags);
            Assert.Equal(1, Values<int>(variant.Alternatives[0])[variant.Index[0]]);
            var record = (NtupleRecordArray)variant.Alternatives[1];
            Assert.Equal(2, Values<int>(record.Fields[0])[variant.Index[2]]);
        }
    }

    [Fact]
    public void Strings_nested_collections_records_and_their_members()
    {
        RootNtuple stl = Open("test_stl_containers_rntuple_v1-0-0-0.root", "ntuple", out RootFile f1);
        using (f1)
        {
            string[] words = ["one", "two", "three", "four", "five"];
            Assert.Equal(words, ((NtupleStringArray)stl.Read("string", 0, 5)).Values);
            var vectors = (NtupleListArray)stl.Read("vector_int32", 0, 5);
            Assert.Equal([0L, 1, 3, 6, 10, 15], vectors.Offsets);
            Assert.Equal([1, 1, 2, 1, 2, 3, 1, 2, 3, 4, 1, 2, 3, 4, 5], Values<int>(vectors.Content));
            var strings = (NtupleListArray)stl.Read("vector_string", 2, 4);
            Assert.Equal([0L, 3, 7], strings.Offsets);
            Assert.Equal(["one", "two", "three", "one", "two", "three", "four"], ((NtupleStringArray)strings.Content).Values);
            Assert.Equal(RootNtupleFieldKind.FixedArray, stl.GetField("array_float").Kind);
            Assert.Equal(3, stl.GetField("array_float").ArraySize);
            // A field below one collection reads as a list per entry; below two it has no per-entry shape.
            Assert.Equal(vectors.Offsets, ((NtupleListArray)stl.Read("vector_int32._0", 0, 5)).Offsets);
            Assert.Throws<ArgumentException>(() => stl.Read("vector_vector_int32._0._0", 0, 1));
        }
        RootNtuple nested = Open("test_nested_structs_rntuple_v1-0-0-0.root", "ntuple", out RootFile f2);
        using (f2)
        {
            // A member of records reads like a top-level field: one value per entry.
            Assert.Equal(Enumerable.Range(1, 10), Values<int>(nested.Read("my_struct.sub_struct.i", 0, 10)));
            var v = (NtupleListArray)nested.Read("my_struct.sub_struct.sub_sub_struct.v", 9, 10);
            Assert.Equal([9, 10], Values<int>(v.Content));
        }
    }

    /// <summary>
    /// ATLAS PHYSLITE (EventData, 100 events): the values uproot's PHYSLITE tests state (88 analysis muons with mean pt
    /// 28217.96 MeV, eta -0.21, phi -0.18; the first event's number 293298001, pile-up 26.5, lumi block 1; truth muons of
    /// pdgId ±13, the first of mass 105.7 MeV), and, for members added while writing that JSROOT reads from other
    /// columns, physical constants: every electron has mass 0.510998 MeV and charge ±1, one item per electron.
    /// </summary>
    [Fact]
    public void Physlite_muons_event_info_and_late_added_electron_members_have_their_known_values()
    {
        RootNtuple n = Open("uproot-physlite-rntuple_v1-0-0-0.root", "EventData", out RootFile file);
        using (file)
        {
            Assert.Equal(100, n.Entries);
            foreach ((string member, double mean) in new[] { ("pt", 28217.96), ("eta", -0.21), ("phi", -0.18) })
            {
                float[] values = Values<float>(((NtupleListArray)n.Read($"AnalysisMuonsAuxDyn:{member}", 0, 100)).Content);
                Assert.Equal(88, values.Length);
                Assert.Equal(mean, Math.Round(values.Average(v => (double)v), 2));
            }
            Assert.Equal(293298001UL, Values<ulong>(n.Read("EventInfoAuxDyn:eventNumber", 0, 1))[0]);
            Assert.Equal(26.5f, Values<float>(n.Read("EventInfoAuxDyn:averageInteractionsPerCrossing", 0, 1))[0]);
            Assert.Equal(1u, Values<uint>(n.Read("EventInfoAuxDyn:lumiBlock", 0, 1))[0]);
            int[] pdgIds = Values<int>(((NtupleListArray)n.Read("TruthMuonsAuxDyn:pdgId", 0, 100)).Content);
            Assert.All(pdgIds, id => Assert.True(id is 13 or -13));
            Assert.Equal(105.7f, Values<float>(((NtupleListArray)n.Read("TruthMuonsAuxDyn:m", 0, 100)).Content)[0], 3);

            Assert.True(n.GetField("AnalysisElectronsAuxDyn:m").IsLateAdded);
            var masses = (NtupleListArray)n.Read("AnalysisElectronsAuxDyn:m", 0, 100);
            var charges = (NtupleListArray)n.Read("AnalysisElectronsAuxDyn:charge", 0, 100);
            var pts = (NtupleListArray)n.Read("AnalysisElectronsAuxDyn:pt", 0, 100);
            Assert.Equal(masses.Offsets, charges.Offsets);
            Assert.Equal(masses.Offsets, pts.Offsets);
            Assert.Equal(57, masses.Offsets[^1]);
            Assert.All(Values<float>(masses.Content), m => Assert.Equal(0.510998f, m));
            Assert.All(Values<float>(charges.Content), q => Assert.True(q is 1f or -1f));
            Assert.All(Values<float>(pts.Content), pt => Assert.InRange(pt, 1000f, 1e6f));
        }
    }
}
