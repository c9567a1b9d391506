using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnergyRegression.Root;
using EnergyRegression.Root.Compression;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// <c>root-read</c>: a quick timed pass over the ROOT read workloads (<see cref="RootCorpus"/>), for
/// <c>benchmarks/root-read.sh</c>; BenchmarkDotNet's RootReadBenchmarks measures the same with error bars.
/// <code>
/// root-read --workloads                 one line per workload for the JSROOT script: label, file, tree, branches
/// root-read [--jsroot FILE] [--codecs zlib,zstd] [--samples HZZ] [--budget SECONDS] [--warmup SECONDS] [--clock cpu|wall] [--read-only] [--no-decoders]
/// </code>
/// Each quantity is the best of 9 samples, each sample enough back-to-back operations to take
/// budget/10 seconds (default budget 0.25 s), after a warm-up of budget/5 seconds. Before anything is timed,
/// every operation of every workload runs for the --warmup seconds (default 3). Times are the process's CPU
/// time (user + system, all threads) unless <c>--clock wall</c>: the machine is shared, and CPU time leaves out
/// the time other processes hold the core.
/// </summary>
public static class RootReadConsole
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private const int Samples = 9;

    private static Clock _clock = Clock.Cpu;

    private enum Clock
    {
        Cpu,
        Wall,
    }

    public static int Run(string[] args)
    {
        double budget = 0.25;
        double warmup = 3;
        bool readOnly = false;
        bool decoders = true;
        string? jsrootFile = null;
        bool listOnly = false;
        string[] codecs = [.. RootCorpus.Codecs];
        string[] samples = [.. RootCorpus.Samples.Select(s => s.Sample)];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--workloads":
                    listOnly = true;
                    break;
                case "--jsroot":
                    jsrootFile = args[++i];
                    break;
                case "--codecs":
                    codecs = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--samples":
                    samples = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--no-decoders":
                    decoders = false;
                    break;
                case "--read-only":
                    readOnly = true;
                    break;
                case "--clock":
                    _clock = args[++i] == "wall" ? Clock.Wall : Clock.Cpu;
                    break;
                case "--warmup":
                    warmup = double.Parse(args[++i], Inv);
                    break;
                case "--budget":
                    budget = double.Parse(args[++i], Inv);
                    break;
                default:
                    Console.Error.WriteLine($"root-read: unknown option {args[i]}");
                    return 2;
            }
        }

        var workloads = new List<RootWorkload>();
        try
        {
            foreach (string sample in samples)
            {
                foreach (string codec in codecs)
                {
                    foreach ((string label, string path, string tree, string[]? branches) in RootCorpus.Workloads(sample, codec))
                    {
                        workloads.Add(RootWorkload.Open(label, path, tree, branches));
                    }
                }
            }
            if (listOnly)
            {
                foreach (RootWorkload w in workloads)
                {
                    Console.WriteLine($"{w.Label}\t{w.Path}\t{w.Tree}\t{string.Join(',', w.Branches)}\t{w.Entries}\t{w.PayloadBytes}");
                }
                return 0;
            }
            Dictionary<string, double> jsroot = jsrootFile is null ? [] : ReadJsroot(jsrootFile);
            Report(workloads, jsroot, budget, warmup, readOnly, decoders);
            return 0;
        }
        finally
        {
            workloads.ForEach(w => w.Dispose());
        }
    }

    private static void Report(List<RootWorkload> workloads, Dictionary<string, double> jsroot, double budget, double warmup, bool readOnly, bool decoders)
    {
        string zstd = NativeZstd.IsAvailable
            ? $"native {NativeZstd.LibraryFile} {NativeZstd.Version / 10000}.{NativeZstd.Version / 100 % 100}.{NativeZstd.Version % 100}"
            : $"managed (native unavailable: {NativeZstd.Problem})";
        Console.WriteLine($"# {DateTime.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} cores available to .NET, zstd decoder in reads: " +
            (Environment.GetEnvironmentVariable(ZstdDecoder.EnvironmentVariable) is { Length: > 0 } forced ? $"{forced} ({ZstdDecoder.EnvironmentVariable})" : zstd));
        Console.WriteLine($"# MB = 10^6 bytes of uncompressed basket payload; times per full read of the workload, best of 9 samples, by {(_clock == Clock.Cpu ? "process CPU time" : "wall clock")}");
        Console.WriteLine("# ours: RootBranch.Read of every branch of the workload, all entries, on a fresh tree; codec-only: RootDecompressor on the same");
        Console.WriteLine("#   baskets' stored bytes in memory; load-only: BasketData.Load of the same baskets (pread, key, decompression, entry");
        Console.WriteLine("#   offsets) without decoding values; pread: positional reads of those baskets' bytes alone (page cache)");
        Console.WriteLine("# wall/cpu: wall-clock over CPU time of our read (1 = the core was ours, > 1 = shared or waiting, < 1 = parallel)");
        Console.WriteLine();
        WarmUp(workloads, warmup);
        List<string[]> table = [["workload", "codec", "payload", "ours", "ours MB/s", "codec-only MB/s", "total/codec", "load-only/codec", "pread MB/s", "JSROOT", "JSROOT/ours", "wall/cpu"]];
        foreach (RootWorkload w in workloads)
        {
            long values = w.Read();
            if (values <= 0)
            {
                throw new InvalidOperationException($"{w.Label}: read no values");
            }
            (double ours, double oursWall, double oursCpu) = MeasureRead(w, budget);
            bool codecs = w.CompressedBaskets > 0 && !readOnly;
            double codec = codecs ? Measure(() => w.DecompressOnly(), budget).Chosen : double.NaN;
            double load = codecs ? Measure(w.LoadBasketsOnly, budget).Chosen : double.NaN;
            double pread = readOnly ? double.NaN : Measure(w.FileReadsOnly, budget / 2).Chosen;
            double mb = w.PayloadBytes / 1e6;
            double js = jsroot.TryGetValue(w.Label, out double j) ? j : double.NaN;
            table.Add(
            [
                w.Label,
                w.Codec,
                $"{w.PayloadBytes / 1024.0:F0} KiB",
                Time(ours),
                Rate(mb / ours),
                Rate(mb / codec),
                Ratio(ours / codec),
                Ratio(load / codec),
                Rate(w.StoredBytes / 1e6 / pread),
                Time(js),
                Ratio(js / ours),
                Ratio(oursWall / oursCpu),
            ]);
        }
        Print(table);

        List<RootWorkload> zs = [.. workloads.Where(w => w.Codec == "ZS")];
        if (zs.Count > 0 && NativeZstd.IsAvailable && !readOnly && decoders)
        {
            Console.WriteLine();
            Console.WriteLine("# ZSTD decoders alone on the same baskets (RootDecompressor, explicit decoder)");
            List<string[]> z = [["workload", "managed MB/s", "native MB/s", "native speed-up"]];
            foreach (RootWorkload w in zs)
            {
                if (w.DecompressOnly(ZstdImplementation.Managed) != w.DecompressOnly(ZstdImplementation.Native))
                {
                    throw new InvalidOperationException($"{w.Label}: the decoders produce different sizes");
                }
                double managed = Measure(() => w.DecompressOnly(ZstdImplementation.Managed), budget).Chosen;
                double native = Measure(() => w.DecompressOnly(ZstdImplementation.Native), budget).Chosen;
                double mb = (w.PayloadBytes - w.EmbeddedBytes) / 1e6;
                z.Add([w.Label, Rate(mb / managed), Rate(mb / native), Ratio(managed / native)]);
            }
            Print(z);
        }
    }

    /// <summary>
    /// Runs every measured operation of every workload for <paramref name="seconds"/> (at least twice), so that
    /// the JIT has compiled the shared code at its final tier before anything is timed. On one CPU the runtime
    /// waits 10 times longer (1 s, restarted by every new method) before recompiling hot methods: after a 1 s
    /// warm-up ZstdSharp still ran at a fifth of its final speed there.
    /// </summary>
    private static void WarmUp(List<RootWorkload> workloads, double seconds)
    {
        var sw = Stopwatch.StartNew();
        for (int round = 0; round < 2 || sw.Elapsed.TotalSeconds < seconds; round++)
        {
            foreach (RootWorkload w in workloads)
            {
                w.Read();
                w.DecompressOnly();
                w.LoadBasketsOnly();
                w.FileReadsOnly();
                if (w.Codec == "ZS")
                {
                    w.DecompressOnly(ZstdImplementation.Managed);
                    if (NativeZstd.IsAvailable)
                    {
                        w.DecompressOnly(ZstdImplementation.Native);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Seconds per call of <paramref name="op"/>, the best of 9 samples: by the process's CPU time (user + system,
    /// all threads: <see cref="Environment.CpuUsage"/>) with <see cref="Clock.Cpu"/>, which leaves out the time other
    /// processes of a shared machine hold the core; by the wall clock otherwise. Returns both minima. The minimum,
    /// not the median: on a shared machine the other processes only ever add time.
    /// </summary>
    private static (double Chosen, double Wall, double Cpu) Measure(Func<long> op, double budget) => Measure(_ => op(), budget, null);

    /// <summary>
    /// <see cref="Measure(Func{long}, double)"/> of a read: each read gets a fresh tree from a pool built before
    /// the sample starts, at most 256 trees or 64 MB of payload per sample. Building the pool and a full garbage
    /// collection after it (so that the collections during the sample do not have to promote the pool) are not timed.
    /// </summary>
    private static (double Chosen, double Wall, double Cpu) MeasureRead(RootWorkload w, double budget)
    {
        RootTree[] pool = [];
        int limit = (int)Math.Clamp((64L << 20) / Math.Max(1, w.PayloadBytes), 1, 256);
        return Measure(i => w.Read(pool[i]), budget, n =>
        {
            pool = [];
            pool = [.. Enumerable.Range(0, n).Select(_ => w.FreshTree())];
            GC.Collect();
        }, limit);
    }

    /// <summary>Op <c>i</c> of a sample is <c>op(i)</c>; <paramref name="prepare"/>(n) readies n ops, untimed.</summary>
    private static (double Chosen, double Wall, double Cpu) Measure(Func<int, long> op, double budget, Action<int>? prepare, int limit = int.MaxValue)
    {
        long sink = 0;
        var total = Stopwatch.StartNew();
        var sw = new Stopwatch();
        int warm = 0;
        while (total.Elapsed.TotalSeconds < budget / 5 || warm < 3)
        {
            prepare?.Invoke(1);
            sw.Start();
            sink += op(0);
            sw.Stop();
            warm++;
        }
        double perOp = sw.Elapsed.TotalSeconds / warm;
        int n = Math.Clamp((int)(budget / 10 / perOp), 1, limit);
        double[] wall = new double[Samples];
        double[] cpu = new double[Samples];
        for (int s = 0; s < wall.Length; s++)
        {
            prepare?.Invoke(n);
            TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
            sw.Restart();
            for (int i = 0; i < n; i++)
            {
                sink += op(i);
            }
            wall[s] = sw.Elapsed.TotalSeconds / n;
            cpu[s] = (Environment.CpuUsage.TotalTime - cpu0).TotalSeconds / n;
        }
        prepare?.Invoke(0);
        GC.KeepAlive(sink);
        Array.Sort(wall);
        Array.Sort(cpu);
        (double w, double c) = (wall[0], cpu[0]);
        return (_clock == Clock.Cpu ? c : w, w, c);
    }

    private static Dictionary<string, double> ReadJsroot(string path)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            string[] f = line.Split('\t');
            if (f.Length >= 3 && double.TryParse(f[_clock == Clock.Cpu ? 1 : 2], NumberStyles.Float, Inv, out double seconds))
            {
                result[f[0]] = seconds;
            }
        }
        return result;
    }

    private static string Rate(double mbPerSecond) => double.IsFinite(mbPerSecond) ? mbPerSecond.ToString("F0", Inv) : "-";

    private static string Ratio(double r) => double.IsFinite(r) ? r.ToString("F2", Inv) : "-";

    private static string Time(double seconds) => !double.IsFinite(seconds) ? "-"
        : seconds >= 1e-3 ? (seconds * 1e3).ToString("F2", Inv) + " ms"
        : (seconds * 1e6).ToString("F1", Inv) + " µs";

    private static void Print(List<string[]> rows)
    {
        int[] width = new int[rows[0].Length];
        foreach (string[] r in rows)
        {
            for (int c = 0; c < r.Length; c++)
            {
                width[c] = Math.Max(width[c], r[c].Length);
            }
        }
        var sb = new StringBuilder();
        for (int i = 0; i < rows.Count; i++)
        {
            sb.Append('|');
            for (int c = 0; c < rows[i].Length; c++)
            {
                sb.Append(' ').Append(c < 2 ? rows[i][c].PadRight(width[c]) : rows[i][c].PadLeft(width[c])).Append(" |");
            }
            sb.AppendLine();
            if (i == 0)
            {
                sb.Append('|');
                for (int c = 0; c < width.Length; c++)
                {
                    sb.Append(c < 2 ? " :" : " ").Append('-', width[c] - 1).Append(c < 2 ? "- |" : ": |");
                }
                sb.AppendLine();
            }
        }
        Console.Write(sb.ToString());
    }
}
