using System.Buffers.Binary;
using System.Globalization;
using EnergyRegression.Root;
using EnergyRegression.Root.Compression;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>root-write</c>: write throughput of <see cref="RootFileWriter"/> per codec against the codec alone on the
/// same baskets (the physical limit), printed side by side; run by <c>benchmarks/root-write.sh</c>.
/// The tree is calorimeter-like: 100 000 events of 8 float scalars and an electron collection (0–4 per event)
/// of 6 floats, an int and a 5×5 float window each. Each write is timed as a whole (buffering, big-endian
/// conversion, cluster planning, compression, file writes, metadata); codec-only compresses the uncompressed
/// basket objects of the same tree, read back from an uncompressed copy. Best of 5 (wall clock).
/// </summary>
public static class RootWriteConsole
{
    private const int Events = 100_000;
    private const int Chunk = 1000;

    public static int Run(string[] args)
    {
        int repeats = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        string dir = Directory.CreateTempSubdirectory("energyreg-write-bench-").FullName;
        try
        {
            var data = new Tree(new Random(7));
            string plain = Path.Combine(dir, "none.root");
            Write(data, plain, RootCompression.None, 1);
            List<byte[]> baskets = BasketObjects(plain);
            long payload = baskets.Sum(b => (long)b.Length);
            Console.WriteLine($"tree: {Events} events, {data.Branches} branches, {baskets.Count} baskets, {payload / 1e6:F1} MB uncompressed basket payload");
            Console.WriteLine();
            Console.WriteLine("codec   level  write MB/s  codec-only MB/s  write/codec  file MB");
            foreach ((RootCompression codec, int level) in new[]
            {
                (RootCompression.None, 1), (RootCompression.Zlib, 1), (RootCompression.Zlib, 4), (RootCompression.Lz4, 1),
                (RootCompression.Zstd, 1), (RootCompression.Zstd, 5), (RootCompression.Lzma, 1),
            })
            {
                string path = Path.Combine(dir, $"{codec}-{level}.root");
                double write = Timing.BestSeconds(repeats, () => Write(data, path, codec, level));
                double codecOnly = codec == RootCompression.None ? 0 : Timing.BestSeconds(repeats, () =>
                {
                    foreach (byte[] b in baskets)
                    {
                        _ = RootCompressor.Compress(b, codec, level);
                    }
                });
                string ratio = codec == RootCompression.None ? "-" : (write / codecOnly).ToString("F2", CultureInfo.InvariantCulture);
                string codecRate = codec == RootCompression.None ? "-" : (payload / codecOnly / 1e6).ToString("F0", CultureInfo.InvariantCulture);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{codec,-7} {level,5}  {payload / write / 1e6,10:F0}  {codecRate,15}  {ratio,11}  {new FileInfo(path).Length / 1e6,7:F1}"));
            }
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Write(Tree data, string path, RootCompression codec, int level)
    {
        using var file = RootFileWriter.Create(path, new RootWriteOptions(codec, level));
        RootTreeWriter tree = file.CreateTree("Events");
        data.Define(tree);
        for (int first = 0; first < Events; first += Chunk)
        {
            tree.Append(Chunk, data.Columns(first / Chunk));
        }
        file.Commit();
    }

    /// <summary>The uncompressed objects (fObjlen bytes after the key) of every TBasket of an uncompressed file, walking its records.</summary>
    private static List<byte[]> BasketObjects(string path)
    {
        byte[] file = File.ReadAllBytes(path);
        var result = new List<byte[]>();
        long end = BinaryPrimitives.ReadInt64BigEndian(file.AsSpan(12));
        int pos = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8));
        while (pos < end)
        {
            int nbytes = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos));
            int objLen = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(pos + 6));
            int keyLen = BinaryPrimitives.ReadInt16BigEndian(file.AsSpan(pos + 14));
            int classLen = file[pos + 34];
            if (file.AsSpan(pos + 35, classLen).SequenceEqual("TBasket"u8))
            {
                result.Add(file.AsSpan(pos + keyLen, objLen).ToArray());
            }
            pos += nbytes;
        }
        return result;
    }

    /// <summary>The synthetic events, generated once, handed out in chunks of <see cref="Chunk"/>.</summary>
    private sealed class Tree
    {
        private readonly List<Dictionary<string, Array>> _chunks = [];

        public Tree(Random rng)
        {
            for (int c = 0; c < Events / Chunk; c++)
            {
                var columns = new Dictionary<string, Array>();
                for (int i = 0; i < 8; i++)
                {
                    columns[$"event_f{i}"] = Enumerable.Range(0, Chunk).Select(_ => (float)(rng.NextDouble() * 100)).ToArray();
                }
                int[] counts = Enumerable.Range(0, Chunk).Select(_ => rng.Next(0, 5)).ToArray();
                int n = counts.Sum();
                columns["nElectron"] = counts;
                foreach (string name in new[] { "pt", "eta", "phi", "energy", "r9", "sigmaIetaIeta" })
                {
                    columns["Electron_" + name] = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 50)).ToArray();
                }
                columns["Electron_seedId"] = Enumerable.Range(0, n).Select(_ => rng.Next(61200)).ToArray();
                // Shower windows: a falling profile around the seed, like calorimeter deposits.
                columns["Electron_window"] = Enumerable.Range(0, n * 25)
                    .Select(i => (float)(Math.Exp(-Math.Abs((i % 25 / 5) - 2) - Math.Abs((i % 5) - 2)) * rng.NextDouble() * 40)).ToArray();
                _chunks.Add(columns);
            }
        }

        public int Branches => _chunks[0].Count;

        public void Define(RootTreeWriter tree)
        {
            foreach ((string name, Array values) in _chunks[0])
            {
                Type type = values.GetType().GetElementType()!;
                if (name == "nElectron")
                {
                    continue;
                }
                if (name.StartsWith("Electron_", StringComparison.Ordinal))
                {
                    tree.AddJaggedBranch(name, type, "nElectron", name == "Electron_window" ? [5, 5] : []);
                }
                else
                {
                    tree.AddBranch(name, type);
                }
            }
        }

        public Dictionary<string, Array> Columns(int chunk) => _chunks[chunk];
    }
}
