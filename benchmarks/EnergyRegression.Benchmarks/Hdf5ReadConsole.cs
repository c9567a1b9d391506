using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Hdf5;
using EnergyRegression.Plugins.Hdf5;
using PureHDF;
using PureHDF.Selections;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// The .NET side of <c>benchmarks/hdf5-read.sh</c>: read throughput of an N×32×32 float32 dataset in
/// batches of rows, as MB/s of uncompressed data, by three routes:
/// <list type="bullet">
/// <item><c>library</c>: <see cref="Hdf5Dataset.ReadRows"/> (raw bytes per row range, chunk cache kept across batches);</item>
/// <item><c>reader</c>: the <c>hdf5</c> reader plugin, batches of <see cref="EventBatch"/>es;</item>
/// <item><c>purehdf</c>: PureHDF's own typed hyperslab read per batch (<c>Read&lt;float[]&gt;(selection)</c>, its default per-read cache).</item>
/// </list>
/// Output: one tab-separated line per file and route: file, route, MB/s, seconds (best of REPEATS).
/// </summary>
internal static class Hdf5ReadConsole
{
    public static int Run(string[] args)
    {
        int repeats = 3;
        int batch = 1000;
        var files = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--repeats": repeats = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: files.Add(args[i]); break;
            }
        }
        foreach (string file in files)
        {
            long bytes;
            using (var h5 = Hdf5File.Open(file))
            {
                Hdf5Dataset images = h5.GetDataset("/images");
                bytes = images.Length * images.RowBytes;
            }
            Report(file, "library", bytes, Timing.BestSeconds(repeats, () => ReadLibrary(file, batch)));
            Report(file, "reader", bytes, Timing.BestSeconds(repeats, () => ReadPlugin(file, batch)));
            Report(file, "purehdf", bytes, Timing.BestSeconds(repeats, () => ReadPureHdf(file, batch)));
        }
        return 0;
    }

    private static void Report(string file, string route, long bytes, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}\t{route}\t{bytes / 1e6 / seconds:F0}\t{seconds:F3}"));

    private static void ReadLibrary(string file, int batch)
    {
        using var h5 = Hdf5File.Open(file);
        Hdf5Dataset images = h5.GetDataset("/images");
        byte[] buffer = new byte[batch * images.RowBytes];
        for (long first = 0; first < images.Length; first += batch)
        {
            int rows = (int)Math.Min(batch, images.Length - first);
            images.ReadRows(first, rows, buffer);
        }
    }

    private static void ReadPlugin(string file, int batch)
    {
        using var reader = new Hdf5Reader(new Hdf5ReaderConfig { Files = [file], Datasets = new() { ["window"] = "/images" } });
        foreach (EventBatch b in reader.ReadBatches(batch, CancellationToken.None))
        {
            b.Dispose();
        }
    }

    private static void ReadPureHdf(string file, int batch)
    {
        using NativeFileHandle h5 = new(H5File.OpenRead(file));
        IH5Dataset images = h5.File.Dataset("/images");
        ulong n = images.Space.Dimensions[0];
        for (ulong first = 0; first < n; first += (ulong)batch)
        {
            ulong rows = Math.Min((ulong)batch, n - first);
            _ = images.Read<float[]>(new HyperslabSelection(3, [first, 0, 0], [rows, 32, 32]));
        }
    }

    private sealed class NativeFileHandle(PureHDF.VOL.Native.NativeFile file) : IDisposable
    {
        public PureHDF.VOL.Native.NativeFile File { get; } = file;

        public void Dispose() => File.Dispose();
    }
}
