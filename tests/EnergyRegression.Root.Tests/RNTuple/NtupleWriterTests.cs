using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Root.Tests.RNTuple;

/// <summary>
/// <see cref="RootNtupleWriter"/>: every field kind it writes (all number types, fixed-size arrays, vectors of numbers
/// and of arrays), with every codec, over several clusters and pages, read back by this library and by JSROOT; the
/// checksums ROOT defines verified on the written bytes; a damaged page refused.
/// </summary>
public sealed class NtupleWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("energyreg-ntuple-writer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly Type[] Scalars =
        [typeof(bool), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint), typeof(long), typeof(ulong), typeof(float), typeof(double)];

    /// <summary>Every column written, flat, by field name; the counts of the collection.</summary>
    private sealed record Written(Dictionary<string, List<object>> Values, List<int> Counts, int Entries);

    /// <summary>A value of <paramref name="type"/> from a random stream: small and negative integers, extremes, reals of every sign.</summary>
    private static object Value(Type type, Random r) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => r.Next(2) == 1,
        TypeCode.SByte => (sbyte)r.Next(sbyte.MinValue, sbyte.MaxValue + 1),
        TypeCode.Byte => (byte)r.Next(256),
        TypeCode.Int16 => (short)r.Next(short.MinValue, short.MaxValue + 1),
        TypeCode.UInt16 => (ushort)r.Next(ushort.MaxValue + 1),
        TypeCode.Int32 => r.Next(4) == 0 ? int.MinValue + r.Next(10) : r.Next(-1000, 1000),
        TypeCode.UInt32 => r.Next(4) == 0 ? uint.MaxValue - (uint)r.Next(10) : (uint)r.Next(1000),
        // 64-bit values JSROOT can hold exactly (it reads them as JavaScript numbers, exact below 2^53).
        TypeCode.Int64 => r.NextInt64(-(1L << 52), 1L << 52),
        TypeCode.UInt64 => (ulong)r.NextInt64(0, 1L << 52),
        TypeCode.Single => (float)((r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-5, 6))),
        _ => (r.NextDouble() - 0.5) * Math.Pow(10, r.Next(-20, 21)),
    };

    private static Written WriteAll(string path, RootCompression codec, int seed, RootNtupleOptions options)
    {
        var r = new Random(seed);
        var values = new Dictionary<string, List<object>>(StringComparer.Ordinal);
        var counts = new List<int>();
        int total = 0;
        using (var file = RootFileWriter.Create(path, new RootWriteOptions(codec, 5)))
        {
            RootNtupleWriter n = file.CreateNtuple("ntuple", "all field kinds", options);
            foreach (Type t in Scalars)
            {
                n.AddField($"s_{t.Name}", t);
            }
            n.AddField("a3", typeof(float), 3);
            n.AddField("a23", typeof(int), 2, 3);
            n.AddField("bits4", typeof(bool), 4);
            n.AddVectorField("X_pt", typeof(float), "nX");
            n.AddVectorField("X_id", typeof(long), "nX");
            n.AddVectorField("X_ok", typeof(bool), "nX");
            n.AddVectorField("X_win", typeof(double), "nX", 2);
            for (int batch = 0; batch < 12; batch++)
            {
                int entries = 5 + r.Next(60);
                int[] nx = [.. Enumerable.Range(0, entries).Select(_ => r.Next(0, 5))];
                int items = nx.Sum();
                var columns = new Dictionary<string, Array> { ["nX"] = nx };
                void Put(string name, Type type, int count)
                {
                    var a = Array.CreateInstance(type, count);
                    for (int i = 0; i < count; i++)
                    {
                        a.SetValue(Value(type, r), i);
                    }
                    columns[name] = a;
                    if (!values.TryGetValue(name, out List<object>? list))
                    {
                        values[name] = list = [];
                    }
                    list.AddRange(a.Cast<object>());
                }
                foreach (Type t in Scalars)
                {
                    Put($"s_{t.Name}", t, entries);
                }
                Put("a3", typeof(float), entries * 3);
                Put("a23", typeof(int), entries * 6);
                Put("bits4", typeof(bool), entries * 4);
                Put("X_pt", typeof(float), items);
                Put("X_id", typeof(long), items);
                Put("X_ok", typeof(bool), items);
                Put("X_win", typeof(double), items * 2);
                n.Append(entries, columns);
                counts.AddRange(nx);
                total += entries;
            }
            file.Commit();
        }
        return new Written(values, counts, total);
    }

    /// <summary>The innermost values of a read, flat.</summary>
    private static List<object> Flat(NtupleArray a) => a switch
    {
        NtupleLeafArray leaf => [.. leaf.Values.Cast<object>()],
        NtupleFixedArray f => Flat(f.Content),
        NtupleListArray l => Flat(l.Content),
        _ => throw new InvalidOperationException(a.GetType().Name),
    };

    public static TheoryData<RootCompression> Codecs() => [RootCompression.None, RootCompression.Zlib, RootCompression.Lzma, RootCompression.Lz4, RootCompression.Zstd];

    [Theory]
    [MemberData(nameof(Codecs))]
    public void What_is_written_reads_back_exactly_here_and_in_jsroot(RootCompression codec)
    {
        string path = Path.Combine(_dir, $"kinds-{codec}.root");
        Written written = WriteAll(path, codec, seed: 7, new RootNtupleOptions(ClusterBytes: 2048, PageBytes: 128));

        using (var file = RootFile.Open(path))
        {
            RootNtuple n = file.GetNtuple("ntuple");
            Assert.Equal(written.Entries, n.Entries);
            Assert.True(n.ClusterCount >= 3, $"{n.ClusterCount} clusters");
            Assert.True(n.ColumnSizes().Max(c => c.Pages) > n.ClusterCount, "a column fills several pages in a cluster");
            Assert.Equal("std::array<std::array<std::int32_t,3>,2>", n.GetField("a23").TypeName);
            Assert.Equal("std::vector<std::array<double,2>>", n.GetField("X_win").TypeName);
            foreach ((string name, List<object> expected) in written.Values)
            {
                Assert.Equal(expected, Flat(n.Read(name, 0, n.Entries)));
            }
            // Reads that start and end inside clusters and pages.
            var part = (NtupleListArray)n.Read("X_pt", 17, 201);
            Assert.Equal(written.Counts.Skip(17).Take(184), part.Offsets.Zip(part.Offsets.Skip(1), (a, b) => (int)(b - a)));
            Assert.Equal(written.Values["s_Double"].Skip(17).Take(184), Flat(n.Read("s_Double", 17, 201)));
        }

        Assert.True(JsrootOracle.IsAvailable, JsrootOracle.UnavailableReason);
        IReadOnlyList<JsonElement> rows = JsrootOracle.Dump(path, "ntuple");
        Assert.Equal(written.Entries, rows.Count);
        foreach ((string name, List<object> expected) in written.Values)
        {
            var read = new List<JsonElement>();
            foreach (JsonElement row in rows)
            {
                Flatten(row.GetProperty(name), read);
            }
            Assert.Equal(expected.Count, read.Count);
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.True(Same(expected[i], read[i]), $"{codec}: field {name} value {i}: wrote {expected[i]}, JSROOT read {read[i]}");
            }
        }
        Assert.Equal(written.Counts, rows.Select(r => r.GetProperty("X_pt").GetArrayLength()));
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

    private static bool Same(object wrote, JsonElement read) => wrote switch
    {
        bool b => read.ValueKind is JsonValueKind.True or JsonValueKind.False ? read.GetBoolean() == b : read.GetInt32() == (b ? 1 : 0),
        float f => (float)read.GetDouble() == f,
        double d => read.GetDouble() == d,
        _ => decimal.Parse(read.GetRawText(), CultureInfo.InvariantCulture) == Convert.ToDecimal(wrote, CultureInfo.InvariantCulture),
    };

    [Fact]
    public void The_written_bytes_carry_the_checksums_the_specification_defines()
    {
        string path = Path.Combine(_dir, "checksums.root");
        WriteAll(path, RootCompression.None, seed: 1, new RootNtupleOptions(ClusterBytes: 4096, PageBytes: 256));
        byte[] bytes = File.ReadAllBytes(path);
        using var file = RootFile.Open(path);
        RootKey key = file.Root.Keys.Single(k => k.ClassName == "ROOT::RNTuple");
        // The anchor: the XXH3-64 of everything between class version and checksum, big-endian at its end.
        ReadOnlySpan<byte> anchor = bytes.AsSpan((int)key.Seek + key.Header.KeyLen, key.ObjectLength);
        Assert.Equal(78, anchor.Length);
        Assert.Equal(XxHash3.HashToUInt64(anchor[6..^8]), BinaryPrimitives.ReadUInt64BigEndian(anchor[^8..]));
        Assert.Equal((ushort)1, BinaryPrimitives.ReadUInt16BigEndian(anchor[6..])); // epoch 1
        // Header and footer (uncompressed here): the XXH3-64 of preamble and payload, little-endian at their end.
        long seekHeader = BinaryPrimitives.ReadInt64BigEndian(anchor[14..]);
        long lenHeader = BinaryPrimitives.ReadInt64BigEndian(anchor[30..]);
        ReadOnlySpan<byte> header = bytes.AsSpan((int)seekHeader, (int)lenHeader);
        Assert.Equal(XxHash3.HashToUInt64(header[..^8]), BinaryPrimitives.ReadUInt64LittleEndian(header[^8..]));
        Assert.Equal(0x01 | ((ulong)lenHeader << 16), BinaryPrimitives.ReadUInt64LittleEndian(header));
        // The anchor's streamer info is the one ROOT writes.
        using var root = RootFile.Open(TestData.NtuplePathOf("test_int_float_rntuple_v1-0-0-0.root"));
        RootStreamerInfo expected = root.StreamerInfos.Single(s => s.ClassName == "ROOT::RNTuple");
        RootStreamerInfo actual = file.StreamerInfos.Single(s => s.ClassName == "ROOT::RNTuple");
        Assert.Equal((expected.ClassVersion, expected.CheckSum), (actual.ClassVersion, actual.CheckSum));
        Assert.Equal(expected.Elements, actual.Elements);
        Assert.Equal(0, file.Root.Keys.Count(k => k.ClassName == "RBlob")); // pages and envelopes are invisible keys
    }

    [Fact]
    public void A_damaged_page_is_refused_naming_field_entries_and_page()
    {
        string path = Path.Combine(_dir, "damaged.root");
        Written expected = WriteAll(path, RootCompression.Zstd, seed: 3, new RootNtupleOptions());
        byte[] bytes = File.ReadAllBytes(path);
        using (var file = RootFile.Open(path))
        {
            // Flip a byte in the middle of the largest page of X_win's values: the rest of the file is intact.
            (long at, long size) = LargestPage(file.GetNtuple("ntuple"), "X_win._0._0");
            bytes[at + size / 2] ^= 0x10;
        }
        using var damaged = RootFile.Open(bytes, "damaged.root");
        RootNtuple ntuple = damaged.GetNtuple("ntuple");
        foreach (string name in expected.Values.Keys.Where(k => k != "X_win"))
        {
            Assert.Equal(expected.Values[name], Flat(ntuple.Read(name, 0, ntuple.Entries))); // every other field still reads
        }
        var ex = Assert.Throws<RootFormatException>(() => ntuple.Read("X_win", 0, ntuple.Entries));
        Assert.Contains("field X_win, entries 0–", ex.Structure, StringComparison.Ordinal);
        Assert.Contains("page", ex.Structure, StringComparison.Ordinal);
        Assert.Contains("page checksum mismatch", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Where the largest page of a column is (via the internals the tests can see).</summary>
    private static (long Offset, long Size) LargestPage(RootNtuple n, string field)
    {
        RootNtupleField f = n.GetField(field);
        int column = f.Columns[0].Id;
        return n.PageLocations(column).MaxBy(p => p.Size);
    }
}
