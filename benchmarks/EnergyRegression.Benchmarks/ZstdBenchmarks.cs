using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using EnergyRegression.Root;
using EnergyRegression.Root.Compression;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// The two ZSTD decoders on the ZSTD-compressed samples (<c>uproot-HZZ-zstd.root</c>, <c>uproot-Zmumu-zstd.root</c>),
/// every readable branch: ZstdSharp.Port (managed) against the system's libzstd (native). Two jobs set
/// <c>ENERGYREG_ZSTD</c> = <c>managed</c> or <c>native</c> for the benchmark process, so that the whole read goes
/// through the chosen decoder too. In each job the baseline is the decoder alone on the same baskets. The jobs are
/// ShortRun jobs; run this class without <c>--job</c> (a <c>--job</c> adds a third job with the default decoder).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[InvocationCount(1)]
public class ZstdBenchmarks
{
    /// <summary>Reads (and decoder passes) per iteration; each read on a fresh tree made in [IterationSetup].</summary>
    public const int Reads = 32;

    private RootWorkload _all = null!;
    private RootTree[] _trees = [];

    [Params("HZZ", "Zmumu")]
    public string Sample { get; set; } = "HZZ";

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            foreach (string decoder in new[] { "managed", "native" })
            {
                AddJob(Job.ShortRun.WithEnvironmentVariable(ZstdDecoder.EnvironmentVariable, decoder).WithId($"zstd={decoder}"));
            }
            AddColumn(new ThroughputColumn("MB/s", "megabytes (10^6 bytes) of uncompressed basket payload per second",
                b => RootPayloads.Get((string)b.Parameters["Sample"], "zstd", whole: true) / 1e6));
        }
    }

    [GlobalSetup]
    public void Setup()
    {
        (string label, string path, string tree, string[]? branches) = RootCorpus.Workloads(Sample, "zstd").ElementAt(1);
        _all = RootWorkload.Open(label, path, tree, branches);
        ZstdImplementation chosen = ZstdDecoder.Default;
        long managed = _all.DecompressOnly(ZstdImplementation.Managed);
        long native = _all.DecompressOnly(ZstdImplementation.Native);
        Console.WriteLine($"// {label}: decoder {chosen} ({ZstdDecoder.EnvironmentVariable}={Environment.GetEnvironmentVariable(ZstdDecoder.EnvironmentVariable)}), " +
            $"native {NativeZstd.LibraryFile} {NativeZstd.Version}, {_all.CompressedBaskets} ZSTD baskets, {managed} bytes decoded");
        if (_all.Codec != "ZS" || managed != native || managed == 0 || _all.Read() <= 0)
        {
            throw new InvalidOperationException($"{label}: the workload is not what the benchmark assumes.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _all.Dispose();

    /// <summary>Fresh trees for the reads of one iteration, then a full collection (see <see cref="RootReadBenchmarks"/>). Not timed.</summary>
    [IterationSetup(Target = nameof(WholeTreeRead))]
    public void FreshTrees()
    {
        _trees = [];
        _trees = [.. Enumerable.Range(0, Reads).Select(_ => _all.FreshTree())];
        GC.Collect();
    }

    [Benchmark(Baseline = true, Description = "decoder only, same baskets", OperationsPerInvoke = Reads)]
    public long DecoderOnly()
    {
        long bytes = 0;
        for (int i = 0; i < Reads; i++)
        {
            bytes += _all.DecompressOnly();
        }
        return bytes;
    }

    [Benchmark(Description = "RootBranch.Read, every branch", OperationsPerInvoke = Reads)]
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
