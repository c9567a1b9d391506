using System.Diagnostics;
using System.Globalization;
using EnergyRegression.Root;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>rntuple-read</c>: the same NanoAOD-like events written as a TTree and as an RNTuple (per codec), read back in
/// 10 000-entry chunks — every column, then one float column — by <see cref="RootBranch.Read"/> and
/// <see cref="RootNtuple.Read(RootNtupleField, long, long)"/>; prints MB/s of payload and the RNTuple/TTree time ratio
/// (benchmarks/rntuple-read.sh, benchmarks/README.md "RNTuple reading").
/// <code>
/// rntuple-read [--events N] [--codecs none,zlib,lz4,zstd] [--budget SECONDS] [--warmup SECONDS] [--keep DIR]
/// </code>
/// Payload: the bytes of the values a read delivers (4 per float or int, 8 per 64-bit value, 1 per bool, and one
/// 8-byte offset per entry of each jagged column), the same for both formats since they hold the same data. Each
/// quantity is the best of 7 samples of the process's CPU time (user + system, all threads) over back-to-back reads.
/// </summary>
public static class NtupleReadConsole
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const int Chunk = 10_000;

    private sealed record Data(int Events, Dictionary<string, Array> Columns, int[] NElectron, int[] NJet);

    public static int Run(string[] args)
    {
        int events = 200_000;
        string[] codecs = ["none", "zlib", "lz4", "zstd"];
        double budget = 1.0;
        double warmup = 2;
        string? keep = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--events": events = int.Parse(args[++i], Inv); break;
                case "--codecs": codecs = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--budget": budget = double.Parse(args[++i], Inv); break;
                case "--warmup": warmup = double.Parse(args[++i], Inv); break;
                case "--keep": keep = args[++i]; break;
                default:
                    Console.Error.WriteLine($"rntuple-read: unknown option {args[i]}");
                    return 2;
            }
        }
        string dir = keep ?? Directory.CreateTempSubdirectory("energyreg-rntuple-read-").FullName;
        Directory.CreateDirectory(dir);
        try
        {
            Data data = Generate(events, seed: 1);
            Console.WriteLine(string.Create(Inv, $"# {events} NanoAOD-like events: {data.Columns.Count} columns, {data.NElectron.Sum()} electrons, {data.NJet.Sum()} jets; chunks of {Chunk} entries"));
            Console.WriteLine("# MB/s = 10^6 bytes of payload (the values delivered) per CPU second; ratio = RNTuple time / TTree time");
            Console.WriteLine("| codec | workload | payload MB | TTree file MB | RNTuple file MB | TTree MB/s | RNTuple MB/s | ratio |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|");
            foreach (string codec in codecs)
            {
                RootCompression compression = codec switch
                {
                    "none" => RootCompression.None,
                    "zlib" => RootCompression.Zlib,
                    "lz4" => RootCompression.Lz4,
                    "lzma" => RootCompression.Lzma,
                    _ => RootCompression.Zstd,
                };
                string treePath = Path.Combine(dir, $"tree-{codec}.root");
                string ntuplePath = Path.Combine(dir, $"ntuple-{codec}.root");
                WriteTree(treePath, compression, data);
                WriteNtuple(ntuplePath, compression, data);
                using var treeFile = RootFile.Open(treePath);
                using var ntupleFile = RootFile.Open(ntuplePath);
                foreach ((string workload, string[]? only) in new[] { ("every column", (string[]?)null), ("Electron_pt", ["Electron_pt"]) })
                {
                    long payload = 0;
                    Func<long> readTree = () => ReadTree(treeFile, only, events);
                    Func<long> readNtuple = () => ReadNtuple(ntupleFile, only, events);
                    payload = readTree();
                    if (readNtuple() != payload)
                    {
                        throw new InvalidOperationException($"{codec} {workload}: the RNTuple delivers other values than the TTree");
                    }
                    Warm(warmup, readTree, readNtuple);
                    double tree = Best(budget, readTree);
                    double ntuple = Best(budget, readNtuple);
                    Console.WriteLine(string.Create(Inv,
                        $"| {codec} | {workload} | {payload / 1e6:F1} | {new FileInfo(treePath).Length / 1e6:F1} | {new FileInfo(ntuplePath).Length / 1e6:F1} | {payload / 1e6 / tree:F0} | {payload / 1e6 / ntuple:F0} | {ntuple / tree:F2} |"));
                }
            }
            Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[..3].Aggregate((a, b) => a + " " + b)}");
            return 0;
        }
        finally
        {
            if (keep is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Events like NanoAOD's: event scalars and flags, Electron and Jet collections of floats and ints.</summary>
    private static Data Generate(int events, int seed)
    {
        var r = new Random(seed);
        int[] nElectron = [.. Enumerable.Range(0, events).Select(_ => r.Next(0, 5))];
        int[] nJet = [.. Enumerable.Range(0, events).Select(_ => r.Next(0, 9))];
        int electrons = nElectron.Sum();
        int jets = nJet.Sum();
        float Real(double scale) => (float)Math.Round(r.NextDouble() * scale, 3);
        var columns = new Dictionary<string, Array>(StringComparer.Ordinal)
        {
            ["run"] = Enumerable.Repeat(1, events).ToArray(),
            ["event"] = Enumerable.Range(0, events).Select(e => (long)e).ToArray(),
            ["MET_pt"] = Enumerable.Range(0, events).Select(_ => Real(200)).ToArray(),
            ["MET_phi"] = Enumerable.Range(0, events).Select(_ => Real(6.28) - 3.14f).ToArray(),
            ["rho"] = Enumerable.Range(0, events).Select(_ => Real(40)).ToArray(),
            ["HLT_Ele32"] = Enumerable.Range(0, events).Select(_ => r.Next(2) == 1).ToArray(),
            ["HLT_DoubleEle"] = Enumerable.Range(0, events).Select(_ => r.Next(4) == 1).ToArray(),
        };
        foreach (string f in new[] { "pt", "eta", "phi", "mass", "energy", "r9", "sieie", "hoe" })
        {
            columns["Electron_" + f] = Enumerable.Range(0, electrons).Select(_ => Real(100)).ToArray();
        }
        columns["Electron_charge"] = Enumerable.Range(0, electrons).Select(_ => r.Next(2) * 2 - 1).ToArray();
        columns["Electron_id"] = Enumerable.Range(0, electrons).Select(_ => r.Next(5)).ToArray();
        foreach (string f in new[] { "pt", "eta", "phi", "mass", "btag" })
        {
            columns["Jet_" + f] = Enumerable.Range(0, jets).Select(_ => Real(300)).ToArray();
        }
        columns["Jet_nConstituents"] = Enumerable.Range(0, jets).Select(_ => r.Next(1, 60)).ToArray();
        return new Data(events, columns, nElectron, nJet);
    }

    /// <summary>The columns of entries [start, start + n): event columns sliced, collection columns sliced by their counts.</summary>
    private static Dictionary<string, Array> Slice(Data data, int start, int n)
    {
        int e0 = data.NElectron.Take(start).Sum();
        int e1 = e0 + data.NElectron.Skip(start).Take(n).Sum();
        int j0 = data.NJet.Take(start).Sum();
        int j1 = j0 + data.NJet.Skip(start).Take(n).Sum();
        var result = new Dictionary<string, Array>(StringComparer.Ordinal)
        {
            ["nElectron"] = data.NElectron[start..(start + n)],
            ["nJet"] = data.NJet[start..(start + n)],
        };
        foreach ((string name, Array values) in data.Columns)
        {
            (int a, int b) = name.StartsWith("Electron_", StringComparison.Ordinal) ? (e0, e1) : name.StartsWith("Jet_", StringComparison.Ordinal) ? (j0, j1) : (start, start + n);
            var part = Array.CreateInstance(values.GetType().GetElementType()!, b - a);
            Array.Copy(values, a, part, 0, b - a);
            result[name] = part;
        }
        return result;
    }

    private static void WriteTree(string path, RootCompression codec, Data data)
    {
        using var file = RootFileWriter.Create(path, new RootWriteOptions(codec, codec == RootCompression.None ? 1 : 4));
        RootTreeWriter tree = file.CreateTree("Events");
        foreach ((string name, Array values) in data.Columns)
        {
            Type type = values.GetType().GetElementType()!;
            if (name.StartsWith("Electron_", StringComparison.Ordinal) || name.StartsWith("Jet_", StringComparison.Ordinal))
            {
                tree.AddJaggedBranch(name, type, "n" + name[..name.IndexOf('_', StringComparison.Ordinal)]);
            }
            else
            {
                tree.AddBranch(name, type);
            }
        }
        for (int start = 0; start < data.Events; start += Chunk)
        {
            int n = Math.Min(Chunk, data.Events - start);
            tree.Append(n, Slice(data, start, n));
        }
        file.Commit();
    }

    private static void WriteNtuple(string path, RootCompression codec, Data data)
    {
        using var file = RootFileWriter.Create(path, new RootWriteOptions(codec, codec == RootCompression.None ? 1 : 4));
        RootNtupleWriter ntuple = file.CreateNtuple("Events");
        foreach ((string name, Array values) in data.Columns)
        {
            Type type = values.GetType().GetElementType()!;
            if (name.StartsWith("Electron_", StringComparison.Ordinal) || name.StartsWith("Jet_", StringComparison.Ordinal))
            {
                ntuple.AddVectorField(name, type, "n" + name[..name.IndexOf('_', StringComparison.Ordinal)]);
            }
            else
            {
                ntuple.AddField(name, type);
            }
        }
        for (int start = 0; start < data.Events; start += Chunk)
        {
            int n = Math.Min(Chunk, data.Events - start);
            ntuple.Append(n, Slice(data, start, n));
        }
        file.Commit();
    }

    /// <summary>Reads the columns (counters excluded, as the root reader does) in chunks; returns the payload bytes delivered.</summary>
    private static long ReadTree(RootFile file, string[]? only, int events)
    {
        RootTree tree = file.GetTree("Events");
        var branches = tree.Branches.Where(b => only is null ? !b.Name.StartsWith('n') : only.Contains(b.Name)).ToList();
        long bytes = 0;
        for (long start = 0; start < events; start += Chunk)
        {
            long stop = Math.Min(events, start + Chunk);
            foreach (RootBranch b in branches)
            {
                RootArray a = b.Read(start, stop);
                bytes += Buffer.ByteLength(a.Values) + (a.Offsets is null ? 0 : 8L * (stop - start));
            }
        }
        return bytes;
    }

    private static long ReadNtuple(RootFile file, string[]? only, int events)
    {
        RootNtuple ntuple = file.GetNtuple("Events");
        var fields = ntuple.Fields.Where(f => only is null ? !f.Name.StartsWith('n') : only.Contains(f.Name)).ToList();
        long bytes = 0;
        for (long start = 0; start < events; start += Chunk)
        {
            long stop = Math.Min(events, start + Chunk);
            foreach (RootNtupleField f in fields)
            {
                NtupleArray a = ntuple.Read(f, start, stop);
                bytes += a is NtupleListArray list
                    ? Buffer.ByteLength(((NtupleLeafArray)list.Content).Values) + 8L * (stop - start)
                    : Buffer.ByteLength(((NtupleLeafArray)a).Values);
            }
        }
        return bytes;
    }

    private static void Warm(double seconds, params Func<long>[] reads)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            foreach (Func<long> read in reads)
            {
                read();
            }
        }
    }

    /// <summary>CPU seconds of one read: the best of 7 samples, each as many reads as fit budget/7 seconds.</summary>
    private static double Best(double budget, Func<long> read)
    {
        double best = double.MaxValue;
        for (int s = 0; s < 7; s++)
        {
            TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
            var wall = Stopwatch.StartNew();
            int n = 0;
            do
            {
                read();
                n++;
            }
            while (wall.Elapsed.TotalSeconds < budget / 7);
            best = Math.Min(best, (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds / n);
        }
        return best;
    }
}
