using EnergyRegression.Data;
using EnergyRegression.Hdf5;
using EnergyRegression.TestOracles;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>The files of Oracle/make_h5py_files.py, written by h5py once per test run.</summary>
public sealed class H5pyFiles : IDisposable
{
    private readonly TempDirectory _dir = new();

    public H5pyFiles() => H5pyOracle.MakeH5pyFiles(_dir.Path);

    public string ImagesLabels => _dir.File("images_labels.h5");

    public string Table => _dir.File("table.h5");

    public string Compound => _dir.File("compound.h5");

    public string UserBlock => _dir.File("userblock.h5");

    public void Dispose() => _dir.Dispose();
}

/// <summary>
/// Files written by h5py (chunked, deflate + shuffle, big-endian, compound, booleans, images + labels) are
/// read by the hdf5 reader with the values h5py reads from them and the formulas that made them.
/// </summary>
public sealed class H5pyFileTests(H5pyFiles files) : IClassFixture<H5pyFiles>
{
    private static Hdf5Reader Reader(Hdf5ReaderConfig config, TestRunContext? context = null) => new(config, context ?? new TestRunContext());

    private static Dataset ReadAll(Hdf5ReaderConfig config, int batchSize, TestRunContext? context = null)
    {
        using Hdf5Reader reader = Reader(config, context);
        return Dataset.Of(reader.ReadBatches(batchSize, CancellationToken.None));
    }

    [Fact]
    public void Images_and_labels_become_one_electron_per_entry_with_the_values_h5py_reads()
    {
        var config = new Hdf5ReaderConfig
        {
            Files = [files.ImagesLabels],
            Datasets = new() { ["window"] = "/images", ["energy"] = "energies", ["eta"] = "/eta" },
            Collection = "Electron",
        };
        Dataset data = ReadAll(config, 37);
        Assert.Equal(300, data.Events);
        Assert.Equal(["Electron"], data.CollectionOrder);
        Assert.All(data.Counts["Electron"], c => Assert.Equal(1, c));
        Assert.Equal(["Electron_window", "Electron_energy", "Electron_eta"], data.ColumnOrder);
        Assert.Equal((ColumnLevel.Object, "Electron", typeof(float), "32x32"), data.Kinds["Electron_window"]);
        Assert.Equal((ColumnLevel.Object, "Electron", typeof(double), ""), data.Kinds["Electron_energy"]);
        Assert.Equal(typeof(float), data.Kinds["Electron_eta"].Type);
        Assert.Equal(Enumerable.Range(0, 9).Select(k => 37L * k), data.FirstEntries);

        H5pyDump h5py = H5pyOracle.H5py(files.ImagesLabels);
        Dataset.AssertBits(h5py.Values("/images"), data.Values["Electron_window"], "images");
        Dataset.AssertBits(h5py.Values("/energies"), data.Values["Electron_energy"], "energies");
        Dataset.AssertBits(h5py.Values("/eta"), data.Values["Electron_eta"], "eta (big-endian)");
        Assert.Equal("big", h5py.Dataset("/eta").GetProperty("byteorder").GetString());

        // The formulas of make_h5py_files.py, including NaN, ±inf and -0 in image pixels [k, 3, 5].
        List<double> window = data.Values["Electron_window"];
        Assert.Equal((float)(((123 * 1024) + (4 * 32) + 7) * 0.25), window[(123 * 1024) + (4 * 32) + 7]);
        Assert.True(double.IsNaN(window[(7 * 1024) + (3 * 32) + 5]));
        Assert.Equal(double.PositiveInfinity, window[(8 * 1024) + (3 * 32) + 5]);
        Assert.Equal(double.NegativeInfinity, window[(9 * 1024) + (3 * 32) + 5]);
        Assert.True(double.IsNegative(window[(10 * 1024) + (3 * 32) + 5]) && window[(10 * 1024) + (3 * 32) + 5] == 0);
        Assert.Equal((0.125 + (299 * 1.5)), data.Values["Electron_energy"][299]);
        Assert.Equal((float)((42 * 0.01) - 1.5), (float)data.Values["Electron_eta"][42]);
    }

    [Fact]
    public void Datasets_at_the_top_read_as_event_columns_with_event_group_slash()
    {
        Dataset data = ReadAll(new Hdf5ReaderConfig { Files = [files.ImagesLabels], EventGroup = "/" }, 1000);
        Assert.Equal(["energies", "eta", "images"], data.ColumnOrder.Order(StringComparer.Ordinal));
        Assert.Equal((ColumnLevel.Event, null, typeof(float), "32x32"), data.Kinds["images"]);
        Assert.Empty(data.CollectionOrder);
        Dataset.AssertBits(H5pyOracle.H5py(files.ImagesLabels).Values("/images"), data.Values["images"], "images");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void The_table_layout_reads_like_h5py_whatever_the_batch_size(int batchSize)
    {
        var context = new TestRunContext();
        Dataset data = ReadAll(new Hdf5ReaderConfig { Files = [files.Table] }, batchSize, context);
        Assert.Equal(300, data.Events);
        Assert.Equal(["Electron", "Photon"], data.CollectionOrder);
        // h5py stores links in name order, which is the order the groups list them in.
        Assert.Equal(["flag", "image", "lumi", "rho", "run", "Electron_charge", "Electron_pt", "Electron_window", "Photon_e", "Photon_id"], data.ColumnOrder);
        Assert.Equal((ColumnLevel.Event, null, typeof(int), ""), data.Kinds["run"]);
        Assert.Equal((ColumnLevel.Event, null, typeof(bool), ""), data.Kinds["flag"]);
        Assert.Equal((ColumnLevel.Event, null, typeof(ushort), ""), data.Kinds["lumi"]);
        Assert.Equal((ColumnLevel.Event, null, typeof(float), "4x4"), data.Kinds["image"]);
        Assert.Equal((ColumnLevel.Object, "Electron", typeof(sbyte), ""), data.Kinds["Electron_charge"]);
        Assert.Equal((ColumnLevel.Object, "Electron", typeof(float), "3x3"), data.Kinds["Electron_window"]);
        Assert.Equal((ColumnLevel.Object, "Photon", typeof(ulong), ""), data.Kinds["Photon_id"]);

        H5pyDump h5py = H5pyOracle.H5py(files.Table);
        Assert.Equal(h5py.Values("/Electron/counts").Select(v => (int)v), data.Counts["Electron"]);
        List<double> photonOffsets = h5py.Values("/Photon/offsets");
        Assert.Equal(photonOffsets.Zip(photonOffsets.Skip(1), (a, b) => (int)(b - a)), data.Counts["Photon"]);
        foreach ((string column, string dataset) in new[]
        {
            ("run", "/events/run"), ("rho", "/events/rho"), ("flag", "/events/flag"), ("lumi", "/events/lumi"), ("image", "/events/image"),
            ("Electron_pt", "/Electron/pt"), ("Electron_charge", "/Electron/charge"), ("Electron_window", "/Electron/window"),
            ("Photon_e", "/Photon/e"), ("Photon_id", "/Photon/id"),
        })
        {
            Dataset.AssertBits(h5py.Values(dataset), data.Values[column], dataset);
        }
        Assert.Equal(5000, data.Counts["Electron"][5]);
        Assert.Equal(0, data.Counts["Electron"][6]);
        Assert.Equal(1007, data.Values["run"][7]);
        Assert.True(double.IsNaN(data.Values["rho"][7]));
        Assert.Equal(double.NegativeInfinity, data.Values["rho"][8]);
        Assert.Equal((double)ulong.MaxValue, data.Values["Photon_id"][0]);
        Assert.Empty(context.Warnings); // the scalar string /note is outside the layout
    }


    [Fact]
    public void An_entry_range_reads_only_those_entries_and_their_objects()
    {
        Dataset all = ReadAll(new Hdf5ReaderConfig { Files = [files.Table] }, 1000);
        Dataset part = ReadAll(new Hdf5ReaderConfig { Files = [files.Table], Entries = "4:9", Columns = ["run", "Electron_pt", "nPhoton"] }, 2);
        Assert.Equal(5, part.Events);
        Assert.Equal([4L, 6, 8], part.FirstEntries);
        Assert.Equal(["run", "Electron_pt"], part.ColumnOrder);
        Assert.Equal(["Electron", "Photon"], part.CollectionOrder);
        Assert.Equal(all.Counts["Electron"].Skip(4).Take(5), part.Counts["Electron"]);
        Assert.Equal(all.Counts["Photon"].Skip(4).Take(5), part.Counts["Photon"]);
        int skip = all.Counts["Electron"].Take(4).Sum();
        int take = all.Counts["Electron"].Skip(4).Take(5).Sum();
        Dataset.AssertBits(all.Values["Electron_pt"].Skip(skip).Take(take).ToList(), part.Values["Electron_pt"], "Electron_pt 4:9");
    }

    [Fact]
    public void Two_files_are_one_stream_of_entries()
    {
        var config = new Hdf5ReaderConfig { Files = [files.Table, files.Table], Columns = ["run", "Electron_*"], Entries = "290:310" };
        using Hdf5Reader reader = Reader(config);
        Assert.Equal(20, reader.CountEvents());
        var data = Dataset.Of(reader.ReadBatches(8, CancellationToken.None));
        Assert.Equal([290L, 298, 300, 308], data.FirstEntries); // a batch never spans two files
        Assert.Equal(Enumerable.Range(290, 10).Concat(Enumerable.Range(0, 10)).Select(i => 1000.0 + i), data.Values["run"]);
    }

    [Fact]
    public void A_compound_table_becomes_one_column_per_member()
    {
        var context = new TestRunContext();
        Dataset data = ReadAll(new Hdf5ReaderConfig { Files = [files.Compound] }, 16, context);
        Assert.Equal(["cands_e", "cands_eta", "cands_n", "cands_ok", "run"], data.ColumnOrder);
        Assert.Equal(typeof(float), data.Kinds["cands_e"].Type);
        Assert.Equal(typeof(double), data.Kinds["cands_eta"].Type);
        Assert.Equal(typeof(short), data.Kinds["cands_n"].Type);
        Assert.Equal(typeof(bool), data.Kinds["cands_ok"].Type);
        H5pyDump h5py = H5pyOracle.H5py(files.Compound);
        foreach (string member in new[] { "e", "eta", "n", "ok" })
        {
            Dataset.AssertBits(h5py.Values("/events/cands", member), data.Values["cands_" + member], member);
        }
        Assert.Equal(-0.5 * 56, data.Values["cands_eta"][56]);
        Assert.Equal((3 * 10) - 80, data.Values["cands_n"][10]);
        // The string member is text: named in a warning, not read into event batches (dump prints it).
        Assert.Contains(context.Warnings, w => w.Contains("not read: cands_label (string[8] text in /events/cands", StringComparison.Ordinal));
    }

    [Fact]
    public void Reading_in_batches_decompresses_each_chunk_once()
    {
        using var file = Hdf5File.Open(files.ImagesLabels);
        Hdf5Dataset images = file.GetDataset("/images");
        Assert.Equal("chunked", images.Layout);
        Assert.Equal(["shuffle", "deflate"], images.Filters);
        Assert.Equal(64, images.ChunkRows);
        byte[] buffer = new byte[37 * images.RowBytes];
        for (long first = 0; first < images.Length; first += 37)
        {
            int rows = (int)Math.Min(37, images.Length - first);
            images.ReadRows(first, rows, buffer);
        }
        Assert.Equal((300 + 63) / 64, images.ChunksRead);
    }

    [Fact]
    public void Contiguous_data_after_a_user_block_reads_like_h5py()
    {
        Assert.False(Hdf5File.HasSignature(files.UserBlock)); // the signature is at byte 512
        using (var file = Hdf5File.Open(files.UserBlock))
        {
            Assert.Equal("contiguous", file.GetDataset("/events/x").Layout);
        }
        Dataset data = ReadAll(new Hdf5ReaderConfig { Files = [files.UserBlock], Entries = "3:997" }, 100);
        H5pyDump h5py = H5pyOracle.H5py(files.UserBlock);
        Dataset.AssertBits(h5py.Values("/events/x").Skip(3).Take(994).ToList(), data.Values["x"], "x");
        Dataset.AssertBits(h5py.Values("/events/img").Skip(12).Take(994 * 4).ToList(), data.Values["img"], "img");
    }
}
