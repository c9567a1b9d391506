using EnergyRegression.Hdf5;
using EnergyRegression.TestOracles;
using PureHDF;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>
/// Damaged files (truncated, flipped bytes) and configs that do not fit the file (wrong dataset names,
/// lengths, offsets): one input error naming the file and the dataset or place, never another exception.
/// </summary>
public sealed class BadInputTests(H5pyFiles files) : IClassFixture<H5pyFiles>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Reads every column of every entry; returns the error, or null when the file read completely.</summary>
    private static InputDataException? ReadFully(Hdf5ReaderConfig config)
    {
        try
        {
            using var reader = new Hdf5Reader(config, new TestRunContext());
            foreach (Data.EventBatch batch in reader.ReadBatches(50, CancellationToken.None))
            {
                batch.Dispose();
            }
            return null;
        }
        catch (InputDataException ex)
        {
            return ex;
        }
    }

    public static TheoryData<string> Layouts => ["table", "images"];

    private (string Source, Func<string, Hdf5ReaderConfig> Config) Layout(string layout) => layout == "table"
        ? (files.Table, f => new Hdf5ReaderConfig { Files = [f] })
        : (files.ImagesLabels, f => new Hdf5ReaderConfig { Files = [f], Datasets = new() { ["window"] = "images", ["energy"] = "energies", ["eta"] = "eta" } });

    [Theory]
    [MemberData(nameof(Layouts))]
    public void A_truncated_file_is_one_input_error_naming_the_file(string layout)
    {
        (string source, Func<string, Hdf5ReaderConfig> config) = Layout(layout);
        byte[] bytes = File.ReadAllBytes(source);
        foreach (double fraction in new[] { 0.0, 0.001, 0.01, 0.1, 0.3, 0.5, 0.8, 0.95, 0.999 })
        {
            string path = _dir.File($"truncated-{layout}-{fraction}.h5");
            File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
            InputDataException? error = ReadFully(config(path));
            Assert.True(error is not null, $"{fraction}: the truncated file read without error");
            Assert.Equal(path, error.File);
            Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Flipped_bytes_give_an_input_error_or_values_never_another_exception(string layout)
    {
        (string source, Func<string, Hdf5ReaderConfig> config) = Layout(layout);
        byte[] original = File.ReadAllBytes(source);
        var random = new Random(6);
        int errors = 0;
        for (int trial = 0; trial < 120; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            // Half the flips in the first 4 KiB, where the superblock and most object headers are.
            int at = trial % 2 == 0 ? random.Next(Math.Min(4096, bytes.Length)) : random.Next(bytes.Length);
            bytes[at] ^= (byte)(1 << random.Next(8));
            string path = _dir.File($"flipped-{layout}-{trial}.h5");
            File.WriteAllBytes(path, bytes);
            InputDataException? error = ReadFully(config(path));
            if (error is not null)
            {
                errors++;
                Assert.Equal(path, error.File);
                Assert.False(string.IsNullOrWhiteSpace(error.Place));
            }
            File.Delete(path);
        }
        Assert.True(errors > 0);
    }

    [Fact]
    public void Damaged_compressed_data_names_the_dataset_and_rows()
    {
        // Flip a byte inside the first compressed chunk of /images (zlib's Adler-32 notices).
        byte[] bytes = File.ReadAllBytes(files.ImagesLabels);
        long chunkAddress = FirstChunkAddress(files.ImagesLabels);
        bytes[chunkAddress + 100] ^= 0x55;
        string path = _dir.File("bad-chunk.h5");
        File.WriteAllBytes(path, bytes);
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [path], Datasets = new() { ["window"] = "images" } });
        Assert.NotNull(error);
        Assert.StartsWith($"{path}: dataset /images, rows 0–49: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The file offset of /images' first chunk, from h5dump's storage layout.</summary>
    private static long FirstChunkAddress(string path)
    {
        string text = H5pyOracle.H5dump("-p", "-H", "-d", "/images", path);
        // h5py writes chunk index B-trees; find the first chunk by scanning for the zlib header after the dataset's header instead.
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Contains("CHUNKED ( 64, 32, 32 )", text, StringComparison.Ordinal);
        // The images are the file's largest compressed data: the first zlib stream (0x78 0x9c/0x5e/0xda/0x01) after 2 KiB.
        for (int i = 2048; i + 1 < bytes.Length; i++)
        {
            if (bytes[i] == 0x78 && (bytes[i + 1] is 0x01 or 0x5e or 0x9c or 0xda) && ((bytes[i] << 8) | bytes[i + 1]) % 31 == 0)
            {
                return i;
            }
        }
        throw new InvalidOperationException("no zlib stream found");
    }

    [Fact]
    public void A_missing_dataset_in_the_config_names_it_and_lists_its_neighbours()
    {
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [files.ImagesLabels], Datasets = new() { ["window"] = "/image" } });
        Assert.NotNull(error);
        Assert.Equal($"{files.ImagesLabels}: dataset /image: There is no such dataset. In /: /energies, /eta, /images.", error.Message);
    }

    [Fact]
    public void A_missing_event_group_says_what_is_at_the_top()
    {
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [files.ImagesLabels] });
        Assert.NotNull(error);
        Assert.StartsWith($"{files.ImagesLabels}: group /events: There is no such group and no collection group (objects at the top: /energies, /eta, /images).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Datasets_of_different_lengths_name_both()
    {
        string path = _dir.File("lengths.h5");
        new H5File { ["images"] = new H5Dataset(new float[10 * 4], fileDims: [10, 2, 2]), ["labels"] = new double[9] }.Write(path);
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [path], Datasets = new() { ["window"] = "images", ["energy"] = "labels" } });
        Assert.NotNull(error);
        Assert.Equal($"{path}: dataset /labels: It has 9 rows but /images has 10 rows: every event-level dataset needs one row per entry (and a collection's offsets one more).", error.Message);
    }

    [Fact]
    public void Bad_offsets_name_the_dataset_and_entry()
    {
        string decreasing = _dir.File("decreasing.h5");
        new H5File { ["Electron"] = new H5Group { ["offsets"] = new long[] { 0, 2, 1, 3 }, ["pt"] = new float[3] } }.Write(decreasing);
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [decreasing] });
        Assert.NotNull(error);
        Assert.Equal($"{decreasing}: dataset /Electron/offsets, entry 1: Offsets decrease (2 then 1): they must be non-decreasing.", error.Message);

        string beyond = _dir.File("beyond.h5");
        new H5File { ["Electron"] = new H5Group { ["counts"] = new int[] { 1, 2, 5 }, ["pt"] = new float[4] } }.Write(beyond);
        error = ReadFully(new Hdf5ReaderConfig { Files = [beyond] });
        Assert.NotNull(error);
        Assert.Equal($"{beyond}: dataset /Electron/pt: Entry 2 of collection Electron ends at row 8 (/Electron/counts), but the dataset has 4 rows.", error.Message);

        string floats = _dir.File("float-offsets.h5");
        new H5File { ["Electron"] = new H5Group { ["offsets"] = new double[] { 0, 1 }, ["pt"] = new float[1] } }.Write(floats);
        error = ReadFully(new Hdf5ReaderConfig { Files = [floats] });
        Assert.NotNull(error);
        Assert.Contains("dataset /Electron/offsets: The offsets of collection Electron must be a 1-D integer dataset, not float64 [2].", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_file_with_another_shape_is_an_input_error()
    {
        string other = _dir.File("other.h5");
        new H5File { ["images"] = new H5Dataset(new float[10 * 4], fileDims: [10, 2, 2]), ["energies"] = new double[10] }.Write(other);
        var config = new Hdf5ReaderConfig { Files = [files.ImagesLabels, other], Datasets = new() { ["window"] = "images" } };
        InputDataException? error = ReadFully(config);
        Assert.NotNull(error);
        Assert.Equal($"{other}: dataset /images: Column 'window' is float32[2×2] here but float32[32×32] in the first file, {files.ImagesLabels}.", error.Message);
    }

    [Fact]
    public void Config_mistakes_name_their_key()
    {
        var ex = Assert.Throws<ConfigValueException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [files.Table], Columns = ["Electron_ptt"] }));
        Assert.Equal("columns", ex.Key);
        Assert.Contains("has no column 'Electron_ptt' (did you mean 'Electron_pt'?)", ex.Message, StringComparison.Ordinal);
        Assert.Equal("columns", Assert.Throws<ConfigValueException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [files.Table], Columns = ["Muon_*"] })).Key);
        Assert.Equal("entries", Assert.Throws<ConfigValueException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [files.Table], Entries = "5" })).Key);
        Assert.Equal("collection", Assert.Throws<ConfigValueException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [files.Table], Collection = "A_b" })).Key);
        Assert.Equal("event_group", Assert.Throws<ConfigValueException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [files.Table], EventGroup = " " })).Key);
        InputDataException missing = Assert.Throws<InputDataException>(() => new Hdf5Reader(new Hdf5ReaderConfig { Files = [_dir.File("nope.h5")] }));
        Assert.Equal(_dir.File("nope.h5"), missing.File);
    }

    [Fact]
    public void A_file_that_is_not_hdf5_is_an_input_error()
    {
        string path = _dir.File("text.h5");
        File.WriteAllText(path, new string('x', 5000));
        InputDataException? error = ReadFully(new Hdf5ReaderConfig { Files = [path] });
        Assert.NotNull(error);
        Assert.StartsWith($"{path}: file: ", error.Message, StringComparison.Ordinal);
        Assert.False(Hdf5File.HasSignature(path));
        Assert.True(Hdf5File.HasSignature(files.Table));
    }
}
