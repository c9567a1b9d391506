using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using EnergyRegression.Data;
using EnergyRegression.Plugins.Json;
using EnergyRegression.Running;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// The <c>json</c> reader and writer on <c>examples/data/electrons.jsonl</c> replicated 67 times (20 100 events,
/// ~13 MB) in a temporary file. Two groups, each with its own baseline:
/// <list type="bullet">
/// <item>read: baseline = the file's bytes read in 64 KiB chunks, no parsing; then <see cref="JsonLinesReader"/>
/// producing batches of 1000 events.</item>
/// <item>write: baseline = the same number of bytes written to a file, no fsync; then <see cref="JsonLinesWriter"/>
/// writing the batches (read once in setup) without commit, and with <c>Commit</c> (fsync + rename).</item>
/// </list>
/// The input stays in the page cache after the first pass: reads measure parsing, not the disk.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class JsonBenchmarks
{
    public const int Copies = 67;

    public const int BatchSize = 1000;

    private string _directory = null!;
    private string _input = null!;
    private JsonLinesReader _reader = null!;
    private List<EventBatch> _batches = null!;
    private byte[] _chunk = null!;
    private byte[] _serialized = null!;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new ThroughputColumn("MB/s", "megabytes (10^6 bytes) of JSON Lines read or written per second", BytesPerOperation));
            AddColumn(new ThroughputColumn("Events/s", "events read or written per second", _ => JsonData.Events));
        }

        private static double? BytesPerOperation(BenchmarkCase benchmark) =>
            (benchmark.Descriptor.Categories.Contains("read") ? JsonData.InputBytes : JsonData.OutputBytes) / 1e6;
    }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("energyreg-bench-json-").FullName;
        _input = Path.Combine(_directory, "electrons-x67.jsonl");
        JsonData.WriteInput(_input);
        _reader = new JsonLinesReader(new JsonLinesReaderConfig { Files = [_input] });
        _batches = [.. _reader.ReadBatches(BatchSize, CancellationToken.None)];
        _chunk = new byte[1 << 16];
        _serialized = File.ReadAllBytes(_input);

        long events = _batches.Sum(b => (long)b.EventCount);
        long written = WriteBatches(commit: true);
        Console.WriteLine($"// json: input {JsonData.InputBytes} bytes, {events} events; writer output {written} bytes (expected {JsonData.OutputBytes})");
        if (events != JsonData.Events || written != JsonData.OutputBytes || new FileInfo(_input).Length != JsonData.InputBytes)
        {
            throw new InvalidOperationException("The JSON benchmark data is not what the throughput columns assume.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _batches.ForEach(b => b.Dispose());
        _reader.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw read (64 KiB chunks, no parsing)")]
    [BenchmarkCategory("read")]
    public long RawRead()
    {
        using var stream = new FileStream(_input, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        long total = 0;
        int n;
        while ((n = stream.Read(_chunk)) > 0)
        {
            total += n;
        }
        return total;
    }

    [Benchmark(Description = "JsonLinesReader → batches of 1000")]
    [BenchmarkCategory("read")]
    public long Read()
    {
        long events = 0;
        foreach (EventBatch batch in _reader.ReadBatches(BatchSize, CancellationToken.None))
        {
            events += batch.EventCount;
            batch.Dispose();
        }
        return events;
    }

    [Benchmark(Baseline = true, Description = "raw write (same bytes, no fsync)")]
    [BenchmarkCategory("write")]
    public long RawWrite()
    {
        string path = Path.Combine(_directory, "raw.jsonl");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
        {
            for (int offset = 0; offset < _serialized.Length; offset += 1 << 16)
            {
                stream.Write(_serialized, offset, Math.Min(1 << 16, _serialized.Length - offset));
            }
        }
        return _serialized.Length;
    }

    [Benchmark(Description = "JsonLinesWriter, no commit")]
    [BenchmarkCategory("write")]
    public long Write() => WriteBatches(commit: false);

    [Benchmark(Description = "JsonLinesWriter + Commit (fsync, rename)")]
    [BenchmarkCategory("write")]
    public long WriteAndCommit() => WriteBatches(commit: true);

    private long WriteBatches(bool commit)
    {
        var config = new JsonLinesWriterConfig { Path = Path.Combine(_directory, "out.jsonl") };
        using var writer = new JsonLinesWriter(config);
        writer.Open(JsonData.Provenance);
        foreach (EventBatch batch in _batches)
        {
            writer.Write(batch);
        }
        long bytes = new FileInfo(writer.PartialPath).Length;
        if (commit)
        {
            writer.Commit();
            bytes = new FileInfo(config.Path).Length;
        }
        return bytes;
    }
}

/// <summary>The benchmark input: the sample file and what replicating it gives (also used by the host process for the columns).</summary>
public static class JsonData
{
    private static readonly Lazy<string> Sample = new(FindSample);

    /// <summary>Number of events in the replicated input.</summary>
    public static long Events => 300L * JsonBenchmarks.Copies;

    /// <summary>Size of the replicated input.</summary>
    public static long InputBytes => new FileInfo(Sample.Value).Length * JsonBenchmarks.Copies;

    /// <summary>
    /// Size of what the writer produces from the replicated input. The writer prints every number in its
    /// shortest round-trip form and every line with the keys in the same order, so it reproduces the sample's bytes;
    /// the setup checks this.
    /// </summary>
    public static long OutputBytes => InputBytes;

    public static Provenance Provenance { get; } = new()
    {
        ToolVersion = "benchmark",
        ConfigPath = "(benchmark)",
        ConfigText = "",
        ConfigSha256 = "",
        Seed = 0,
        InputFiles = [],
        StartedUtc = DateTimeOffset.UnixEpoch,
    };

    public static void WriteInput(string path)
    {
        byte[] sample = File.ReadAllBytes(Sample.Value);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        for (int i = 0; i < JsonBenchmarks.Copies; i++)
        {
            stream.Write(sample);
        }
    }

    private static string FindSample()
    {
        const string relative = "examples/data/electrons.jsonl";
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new FileNotFoundException($"Cannot find {relative} above {AppContext.BaseDirectory} or the current directory.");
    }
}
