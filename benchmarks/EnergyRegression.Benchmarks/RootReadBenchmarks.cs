using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using EnergyRegression.Root;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// Reading ROOT files with <c>EnergyRegression.Root</c>, per codec (uproot's HZZ and Zmumu samples written
/// uncompressed, zlib, LZ4, LZMA and ZSTD; see <see cref="RootCorpus"/>). Two groups, each with its own baseline:
/// <list type="bullet">
/// <item>one branch (HZZ <c>MET_px</c> float32, Zmumu <c>px1</c> float64), all entries;</item>
/// <item>the whole tree: every readable branch, all entries (HZZ: 51 branches, jagged ones included).</item>
/// </list>
/// The baseline of each group is the codec alone on the same baskets (<c>RootDecompressor</c> on the stored
/// bytes held in memory), the physical limit of the read; <c>Ratio</c> is then total read time / codec-only time.
/// <c>MB/s</c> is 10^6 bytes of uncompressed basket payload per second, the same payload for both rows. ZSTD
/// blocks use the default decoder (native libzstd when available, see <see cref="ZstdBenchmarks"/>).
/// One invocation is many reads (<see cref="OneBranchReads"/>, <see cref="WholeTreeReads"/>), each on a fresh tree
/// built in [IterationSetup]; the times are per read. Neither opening the file nor building trees is timed.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[InvocationCount(1)]
public class RootReadBenchmarks
{
    /// <summary>Reads per iteration of the one-branch cases (each on a fresh tree made in [IterationSetup]).</summary>
    public const int OneBranchReads = 1024;

    /// <summary>Reads per iteration of the whole-tree cases.</summary>
    public const int WholeTreeReads = 32;

    private RootWorkload _one = null!;
    private RootWorkload _all = null!;
    private RootTree[] _trees = [];

    [Params("HZZ", "Zmumu")]
    public string Sample { get; set; } = "HZZ";

    [Params("uncompressed", "zlib", "lz4", "lzma", "zstd")]
    public string Codec { get; set; } = "zlib";

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new ThroughputColumn("MB/s", "megabytes (10^6 bytes) of uncompressed basket payload per second", PayloadMegabytes));
    }

    /// <summary>The payload of a case, computed in the host process from the same files (cached).</summary>
    internal static double? PayloadMegabytes(BenchmarkCase benchmark)
    {
        string sample = (string)benchmark.Parameters["Sample"];
        string codec = (string)benchmark.Parameters["Codec"];
        bool whole = benchmark.Descriptor.Categories.Contains("whole tree");
        return RootPayloads.Get(sample, codec, whole) / 1e6;
    }

    [GlobalSetup]
    public void Setup()
    {
        var workloads = RootCorpus.Workloads(Sample, Codec).ToList();
        _one = RootWorkload.Open(workloads[0].Label, workloads[0].Path, workloads[0].Tree, workloads[0].Branches);
        _all = RootWorkload.Open(workloads[1].Label, workloads[1].Path, workloads[1].Tree, workloads[1].Branches);
        long oneValues = _one.Read();
        long allValues = _all.Read();
        long oneDecoded = _one.DecompressOnly();
        long allDecoded = _all.DecompressOnly();
        Console.WriteLine($"// {_one.Label}: {oneValues} values, payload {_one.PayloadBytes} B, {_one.CompressedBaskets} compressed baskets ({_one.Codec})");
        Console.WriteLine($"// {_all.Label}: {_all.Branches.Count} branches, {allValues} values, payload {_all.PayloadBytes} B, {_all.CompressedBaskets} compressed baskets ({_all.Codec})");
        if (oneValues != _one.Entries || allValues <= _all.Entries * _all.Branches.Count / 2
            || oneDecoded + _one.EmbeddedBytes > _one.PayloadBytes || allDecoded + _all.EmbeddedBytes > _all.PayloadBytes
            || (Codec != "uncompressed" && allDecoded == 0))
        {
            throw new InvalidOperationException($"{Sample}-{Codec}: the workload is not what the benchmark assumes.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _one.Dispose();
        _all.Dispose();
    }

    /// <summary>
    /// Fresh trees for the reads of one iteration (a branch keeps its last basket: a second read of the same
    /// <see cref="RootBranch"/> would not decompress it again), then a full collection so that the pool is not
    /// promoted while the iteration runs. Not timed.
    /// </summary>
    [IterationSetup(Targets = [nameof(OneBranchRead)])]
    public void FreshTreesForOneBranch() => MakeTrees(_one, OneBranchReads);

    [IterationSetup(Targets = [nameof(WholeTreeRead)])]
    public void FreshTreesForWholeTree() => MakeTrees(_all, WholeTreeReads);

    private void MakeTrees(RootWorkload w, int count)
    {
        _trees = [];
        _trees = [.. Enumerable.Range(0, count).Select(_ => w.FreshTree())];
        GC.Collect();
    }

    [Benchmark(Baseline = true, Description = "codec only, same baskets", OperationsPerInvoke = OneBranchReads)]
    [BenchmarkCategory("one branch")]
    public long OneBranchCodec()
    {
        long bytes = 0;
        for (int i = 0; i < OneBranchReads; i++)
        {
            bytes += _one.DecompressOnly();
        }
        return bytes;
    }

    [Benchmark(Description = "RootBranch.Read", OperationsPerInvoke = OneBranchReads)]
    [BenchmarkCategory("one branch")]
    public long OneBranchRead()
    {
        long values = 0;
        foreach (RootTree tree in _trees)
        {
            values += _one.Read(tree);
        }
        return values;
    }

    [Benchmark(Baseline = true, Description = "codec only, same baskets", OperationsPerInvoke = WholeTreeReads)]
    [BenchmarkCategory("whole tree")]
    public long WholeTreeCodec()
    {
        long bytes = 0;
        for (int i = 0; i < WholeTreeReads; i++)
        {
            bytes += _all.DecompressOnly();
        }
        return bytes;
    }

    [Benchmark(Description = "RootBranch.Read, every branch", OperationsPerInvoke = WholeTreeReads)]
    [BenchmarkCategory("whole tree")]
    public long WholeTreeRead()
    {
        long values = 0;
        foreach (RootTree tree in _trees)
        {
            values += _all.Read(tree);
        }
        return values;
    }
}

/// <summary>Payload sizes for the throughput columns, computed once per process.</summary>
internal static class RootPayloads
{
    private static readonly Dictionary<(string, string, bool), long> Cache = [];

    public static long Get(string sample, string codec, bool whole)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue((sample, codec, whole), out long bytes))
            {
                (string label, string path, string tree, string[]? branches) = RootCorpus.Workloads(sample, codec).ElementAt(whole ? 1 : 0);
                using var w = RootWorkload.Open(label, path, tree, branches);
                bytes = w.PayloadBytes;
                Cache[(sample, codec, whole)] = bytes;
            }
            return bytes;
        }
    }
}
