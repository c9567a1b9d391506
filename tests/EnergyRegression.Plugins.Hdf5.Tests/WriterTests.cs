using EnergyRegression.Data;
using EnergyRegression.Running;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>
/// The hdf5 writer: random schemas written and read back identical by the reader and by h5py (values,
/// types, chunks, filters); provenance attributes checked with h5dump; friend files; atomic output;
/// config errors.
/// </summary>
public sealed class WriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    internal static readonly Provenance Provenance = new()
    {
        ToolVersion = "energyreg test", ConfigPath = "chain.yaml", ConfigText = "name: test\n", ConfigSha256 = "0123456789abcdef", Seed = 42,
        InputFiles = ["a.h5", "b.h5"], StartedUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    private static readonly Type[] _types =
        [typeof(float), typeof(double), typeof(int), typeof(long), typeof(bool), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(uint), typeof(ulong)];

    private static readonly int[][] _shapes = [[], [], [3], [2, 3]];

    /// <summary>A random schema: event columns and 0–2 collections of every type and shape, with empty and long entries and NaN/±inf/−0.</summary>
    internal static List<EventBatch> RandomBatches(int seed, int batches, int eventsPerBatch, int minCollections = 0)
    {
        var random = new Random(seed);
        var columns = new List<(string Name, string? Collection, Type Type, int[] Shape)>();
        foreach (Type type in _types)
        {
            columns.Add(("ev_" + Short(type), null, type, _shapes[random.Next(_shapes.Length)]));
        }
        string[] collections = [.. new[] { "Electron", "Photon" }.Take(Math.Max(minCollections, random.Next(3)))];
        foreach (string collection in collections)
        {
            foreach (Type type in _types.Where(_ => random.Next(2) == 0).Append(typeof(float)).Distinct())
            {
                columns.Add(($"{collection}_{Short(type)}", collection, type, _shapes[random.Next(_shapes.Length)]));
            }
        }
        var result = new List<EventBatch>();
        long entry = 0;
        for (int b = 0; b < batches; b++)
        {
            int n = b == 1 ? 0 : eventsPerBatch - random.Next(3);
            var batch = new EventBatch(n) { FirstEntry = entry };
            entry += n;
            foreach (string collection in collections)
            {
                int[] counts = [.. Enumerable.Range(0, n).Select(e => (b, e) == (2, 1) ? 5000 : random.Next(4) == 0 ? 0 : random.Next(1, 4))];
                batch.AddCollection(collection, counts);
            }
            foreach ((string name, string? collection, Type type, int[] shape) in columns)
            {
                Column column = batch.AddColumn(type, name, collection, shape);
                double[] values = new double[column.Rows * column.RowSize];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = RandomValue(random, type, i);
                }
                Fill(column, values, random);
            }
            result.Add(batch);
        }
        return result;
    }

    private static string Short(Type t) => EnergyRegression.Hdf5.Hdf5Type.ShortName(t);

    private static double RandomValue(Random random, Type type, int i)
    {
        if (type == typeof(float) || type == typeof(double))
        {
            return (i % 17) switch
            {
                3 => double.NaN,
                5 => double.PositiveInfinity,
                6 => double.NegativeInfinity,
                7 => -0.0,
                _ => type == typeof(float) ? (float)((random.NextDouble() - 0.5) * 1e4) : (random.NextDouble() - 0.5) * 1e300,
            };
        }
        return type == typeof(bool) ? random.Next(2) : random.Next(-100, 100);
    }

    /// <summary>Sets values; integers get their type's extremes in a few places (set directly, exactly).</summary>
    private static void Fill(Column column, double[] values, Random random)
    {
        switch (column)
        {
            case Column<long> c: column.SetFrom(values); if (c.Values.Length > 1) { c.Values[0] = long.MinValue; c.Values[1] = long.MaxValue; } break;
            case Column<ulong> c: for (int i = 0; i < c.Values.Length; i++) { c.Values[i] = (ulong)random.NextInt64() * 2 + (ulong)(i % 2); } if (c.Values.Length > 0) { c.Values[0] = ulong.MaxValue; } break;
            case Column<int> c: column.SetFrom(values); if (c.Values.Length > 1) { c.Values[0] = int.MinValue; c.Values[1] = int.MaxValue; } break;
            case Column<uint> c: column.SetFrom([.. values.Select(Math.Abs)]); if (c.Values.Length > 0) { c.Values[0] = uint.MaxValue; } break;
            case Column<byte> c: column.SetFrom([.. values.Select(Math.Abs)]); if (c.Values.Length > 0) { c.Values[0] = byte.MaxValue; } break;
            case Column<ushort> c: column.SetFrom([.. values.Select(Math.Abs)]); if (c.Values.Length > 0) { c.Values[0] = ushort.MaxValue; } break;
            default: column.SetFrom(values); break;
        }
    }

    internal static void Write(Hdf5WriterConfig config, IEnumerable<EventBatch> batches, TestRunContext? context = null)
    {
        using var writer = new Hdf5Writer(config, context ?? new TestRunContext());
        writer.Open(Provenance);
        foreach (EventBatch batch in batches)
        {
            writer.Write(batch);
        }
        writer.Commit();
    }

    [Theory]
    [InlineData(1, 6, true, "offsets", 0)]
    [InlineData(2, 1, false, "counts", 5)]
    [InlineData(3, 9, true, "counts", 1)]
    [InlineData(4, 0, false, "offsets", 0)]
    [InlineData(5, 0, true, "offsets", 64)]
    public void Random_schemas_read_back_identical_by_the_reader_and_by_h5py(int seed, int deflate, bool shuffle, string jagged, int chunkRows)
    {
        List<EventBatch> batches = RandomBatches(seed, 4, 50);
        var expected = Dataset.Of(batches, dispose: false);
        string path = _dir.File($"random-{seed}.h5");
        Write(new Hdf5WriterConfig { Path = path, Deflate = deflate, Shuffle = shuffle, Jagged = jagged, ChunkRows = chunkRows }, batches);
        batches.ForEach(b => b.Dispose());
        Assert.False(File.Exists(path + ".partial"));
        Assert.False(Directory.Exists(path + ".partial.spool"));

        using (var reader = new Hdf5Reader(new Hdf5ReaderConfig { Files = [path] }, new TestRunContext()))
        {
            Dataset.Of(reader.ReadBatches(33, CancellationToken.None)).AssertSameAs(expected);
        }

        H5pyDump h5py = H5pyOracle.H5py(path);
        foreach (string column in expected.ColumnOrder)
        {
            (ColumnLevel level, string? collection, Type type, string shape) = expected.Kinds[column];
            string dataset = collection is null ? $"/events/{column}" : $"/{collection}/{column[(collection.Length + 1)..]}";
            Dataset.AssertBits(expected.Values[column], h5py.Values(dataset), $"h5py {dataset}");
            Assert.Equal(Short(type), h5py.DType(dataset));
            int rows = collection is null ? expected.Events : expected.Counts[collection].Sum();
            int[] rowShape = shape.Length == 0 ? [] : [.. shape.Split('x').Select(int.Parse)];
            Assert.Equal([rows, .. rowShape], h5py.Shape(dataset));
            System.Text.Json.JsonElement d = h5py.Dataset(dataset);
            bool chunked = rows > 0 && (deflate > 0 || chunkRows > 0);
            Assert.Equal(chunked, d.GetProperty("chunks").ValueKind == System.Text.Json.JsonValueKind.Array);
            if (chunked)
            {
                int expectedRows = chunkRows > 0 ? Math.Min(chunkRows, rows) : Math.Min(rows, Math.Max(1, Hdf5Writer.AutoChunkBytes / (System.Runtime.InteropServices.Marshal.SizeOf(type == typeof(bool) ? typeof(byte) : type) * rowShape.Aggregate(1, (a, x) => a * x))));
                Assert.Equal(expectedRows, d.GetProperty("chunks")[0].GetInt32());
            }
            Assert.Equal(chunked && deflate > 0 ? "gzip" : null, d.GetProperty("compression").GetString());
            if (chunked && deflate > 0)
            {
                Assert.Equal(deflate, d.GetProperty("compression_opts").GetInt32());
                Assert.Equal(shuffle, d.GetProperty("shuffle").GetBoolean());
            }
        }
        foreach (string collection in expected.CollectionOrder)
        {
            List<int> counts = expected.Counts[collection];
            if (jagged == "offsets")
            {
                Assert.Equal("int64", h5py.DType($"/{collection}/offsets"));
                Assert.Equal(counts.Prepend(0).Select((_, i) => (double)counts.Take(i).Sum()), h5py.Values($"/{collection}/offsets"));
            }
            else
            {
                Assert.Equal("int32", h5py.DType($"/{collection}/counts"));
                Assert.Equal(counts.Select(c => (double)c), h5py.Values($"/{collection}/counts"));
            }
        }
        Assert.Equal("0123456789abcdef", h5py.Attribute("/", "config_sha256").GetString());
        Assert.Equal("name: test\n", h5py.Attribute("/", "config_text").GetString());
        Assert.Equal(42, h5py.Attribute("/", "seed").GetInt64());
    }

    [Fact]
    public void Provenance_is_stored_as_root_attributes_that_h5dump_reads()
    {
        string path = _dir.File("prov.h5");
        Write(new Hdf5WriterConfig { Path = path }, RandomBatches(7, 2, 10));
        string text = H5pyOracle.H5dump("-A", path);
        foreach ((string name, string value) in new[]
        {
            ("tool_version", "\"energyreg test\""), ("config_path", "\"chain.yaml\""), ("config_sha256", "\"0123456789abcdef\""),
            ("seed", "42"), ("input_files", "\"a.h5\", \"b.h5\""), ("started_utc", "\"2025-01-02T03:04:05.0000000+00:00\""),
        })
        {
            int at = text.IndexOf($"ATTRIBUTE \"{name}\"", StringComparison.Ordinal);
            Assert.True(at >= 0, $"no attribute {name} in\n{text}");
            Assert.Contains($"(0): {value}", text[at..], StringComparison.Ordinal);
        }
        string properties = H5pyOracle.H5dump("-p", "-H", "-d", "/events/ev_float32", path);
        Assert.Contains("SHUFFLE", properties, StringComparison.Ordinal);
        Assert.Contains("COMPRESSION DEFLATE { LEVEL 6 }", properties, StringComparison.Ordinal);
    }

    [Fact]
    public void No_events_give_a_file_h5py_opens_and_the_reader_reads_as_empty()
    {
        string path = _dir.File("empty.h5");
        var batch = new EventBatch(0);
        batch.AddCollection("Electron", []);
        batch.AddObjectColumn<float>("Electron", "Electron_pt");
        batch.AddEventColumn<float>("image", 4, 4);
        Write(new Hdf5WriterConfig { Path = path }, [batch]);
        H5pyDump h5py = H5pyOracle.H5py(path);
        Assert.Equal([0, 4, 4], h5py.Shape("/events/image"));
        Assert.Equal([1], h5py.Shape("/Electron/offsets"));
        using var reader = new Hdf5Reader(new Hdf5ReaderConfig { Files = [path] }, new TestRunContext());
        Assert.Equal(0, reader.CountEvents());
        Assert.Empty(reader.ReadBatches(10, CancellationToken.None));
        Assert.Equal(["Electron_pt", "image"], reader.ColumnNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_friend_file_holds_only_the_new_columns_in_the_input_order()
    {
        string input = _dir.File("input.h5");
        Write(new Hdf5WriterConfig { Path = input }, RandomBatches(11, 3, 40, minCollections: 1));
        string friend = _dir.File("friend.h5");
        using (var reader = new Hdf5Reader(new Hdf5ReaderConfig { Files = [input], Columns = ["Electron_float32"] }, new TestRunContext()))
        {
            Write(new Hdf5WriterConfig { Path = friend, Friend = true, Columns = ["Electron_calib"] }, WithCalibration(reader.ReadBatches(17, CancellationToken.None)));
        }
        H5pyDump h5py = H5pyOracle.H5py(friend);
        Assert.Equal(["/Electron/calib", "/Electron/offsets"], h5py.DatasetPaths.Order(StringComparer.Ordinal));
        H5pyDump source = H5pyOracle.H5py(input);
        Assert.Equal(source.Values("/Electron/offsets"), h5py.Values("/Electron/offsets"));
        Dataset.AssertBits([.. source.Values("/Electron/float32").Select(v => (double)((float)v * 1.01f))], h5py.Values("/Electron/calib"), "calib");
    }

    [Fact]
    public void A_friend_file_refuses_a_gap_and_leaves_no_output()
    {
        string input = _dir.File("input.h5");
        Write(new Hdf5WriterConfig { Path = input }, RandomBatches(12, 3, 40));
        string friend = _dir.File("friend.h5");
        using var reader = new Hdf5Reader(new Hdf5ReaderConfig { Files = [input], Columns = ["ev_float32"], Entries = "10:" }, new TestRunContext());
        var ex = Assert.Throws<ConfigValueException>(() => Write(new Hdf5WriterConfig { Path = friend, Friend = true }, reader.ReadBatches(17, CancellationToken.None)));
        Assert.Equal("friend", ex.Key);
        Assert.Contains("entry 0 is missing (the next event is entry 10)", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_dir.Path), p => p.Contains("friend", StringComparison.Ordinal));
    }

    /// <summary>Adds Electron_calib = 1.01 × Electron_float32, as a regressor would.</summary>
    private static IEnumerable<EventBatch> WithCalibration(IEnumerable<EventBatch> batches)
    {
        foreach (EventBatch batch in batches)
        {
            Column<float> source = batch.GetColumn<float>("Electron_float32");
            Column<float> calib = batch.AddColumnLike<float>("Electron_calib", source);
            for (int i = 0; i < source.Values.Length; i++)
            {
                calib.Values[i] = source.Values[i] * 1.01f;
            }
            yield return batch;
        }
    }

    [Fact]
    public void Config_mistakes_name_their_key()
    {
        Assert.Equal("deflate", Assert.Throws<ConfigValueException>(() => new Hdf5Writer(new Hdf5WriterConfig { Path = "x.h5", Deflate = 4 })).Key);
        Assert.Equal("jagged", Assert.Throws<ConfigValueException>(() => new Hdf5Writer(new Hdf5WriterConfig { Path = "x.h5", Jagged = "offset" })).Key);
        Assert.Equal("chunk_rows", Assert.Throws<ConfigValueException>(() => new Hdf5Writer(new Hdf5WriterConfig { Path = "x.h5", ChunkRows = -1 })).Key);
        Assert.Equal("event_group", Assert.Throws<ConfigValueException>(() => new Hdf5Writer(new Hdf5WriterConfig { Path = "x.h5", EventGroup = "a/b" })).Key);
        var ex = Assert.Throws<ConfigValueException>(() => Write(new Hdf5WriterConfig { Path = _dir.File("c.h5"), Columns = ["ev_float33"] }, RandomBatches(1, 1, 5)));
        Assert.Equal("columns", ex.Key);
        Assert.Contains("did you mean 'ev_float32'", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }
}
