using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using Xunit.Abstractions;

namespace EnergyRegression.Root.Tests.RNTuple;

/// <summary>
/// The RNTuple fuzz suite: 10⁵ damaged copies of ROOT-written RNTuples (../shared/testdata/rntuple) and of one this
/// library wrote — single flipped bytes, overwritten runs, truncations — each opened and read in full. Every case must
/// end in a clean error (<see cref="RootFormatException"/>, <see cref="NotSupportedException"/>,
/// <see cref="KeyNotFoundException"/>) or read exactly the original values: RNTuple checksums cover the anchor, every
/// envelope and every page, so no damage to the data may go unnoticed. No crash, no hang (each case is timed).
/// </summary>
public sealed class NtupleFuzzTests(ITestOutputHelper output)
{
    /// <summary>Damaged copies per small file; the suite makes about 10⁵ in all.</summary>
    private const int CasesPerFile = 5_600;

    /// <summary>One case may take this long before it counts as a hang (the machine may be shared and loaded).</summary>
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(5);

    /// <summary>Files read in full per case; the 10⁸-entry file and the 2 MB PHYSLITE one are read in part (below).</summary>
    public static IEnumerable<string> SmallFiles() =>
        TestData.NtupleFiles().Where(f => !f.StartsWith("uproot-physlite", StringComparison.Ordinal));

    /// <summary>The names of a file's RNTuples (as a user names them: from the intact file).</summary>
    private static List<string> NtupleNames(byte[] bytes, string name)
    {
        using var file = RootFile.Open(bytes, name);
        return [.. file.Root.Keys.Where(k => RootFile.IsNtupleClass(k.ClassName)).Select(k => k.Name)];
    }

    /// <summary>
    /// What a file holds, as one hash: each of the RNTuples <paramref name="ntuples"/> opened by name, every readable
    /// top-level field read over its entries (only entries 0–999 and the last 1000 of a larger RNTuple). Throws what
    /// the reader throws. (Names live in the TFile's keys list, which no checksum covers: a damaged name is a
    /// "not found", not a wrong value.)
    /// </summary>
    private static ulong Fingerprint(byte[] bytes, string name, List<string> ntuples)
    {
        using var file = RootFile.Open(bytes, name);
        var hash = new XxHash3();
        foreach (string ntupleName in ntuples)
        {
            RootNtuple ntuple = file.GetNtuple(ntupleName);
            hash.Append(Encoding.UTF8.GetBytes(ntupleName));
            hash.Append(BitConverter.GetBytes(ntuple.Entries));
            var ranges = ntuple.Entries <= 2000 ? [(0L, ntuple.Entries)] : new[] { (0L, 1000L), (ntuple.Entries - 1000, ntuple.Entries) };
            foreach (RootNtupleField field in ntuple.Fields.Where(f => f.IsReadable))
            {
                hash.Append(Encoding.UTF8.GetBytes(field.Path));
                foreach ((long start, long stop) in ranges)
                {
                    Append(hash, ntuple.Read(field, start, stop));
                }
            }
        }
        return hash.GetCurrentHashAsUInt64();
    }

    private static void Append(XxHash3 hash, NtupleArray array)
    {
        hash.Append(BitConverter.GetBytes(array.Length));
        switch (array)
        {
            case NtupleLeafArray leaf:
                hash.Append(Encoding.UTF8.GetBytes(leaf.ElementType.Name));
                hash.Append(Bytes(leaf.Values));
                break;
            case NtupleStringArray strings:
                foreach (string s in strings.Values)
                {
                    hash.Append(Encoding.UTF8.GetBytes(s + "\0"));
                }
                break;
            case NtupleListArray list:
                hash.Append(MemoryMarshal.AsBytes(list.Offsets.AsSpan()));
                Append(hash, list.Content);
                break;
            case NtupleFixedArray fixedArray:
                Append(hash, fixedArray.Content);
                break;
            case NtupleRecordArray record:
                foreach (NtupleArray member in record.Fields)
                {
                    Append(hash, member);
                }
                break;
            case NtupleVariantArray variant:
                hash.Append(variant.Tags);
                hash.Append(MemoryMarshal.AsBytes(variant.Index.AsSpan()));
                foreach (NtupleArray alternative in variant.Alternatives)
                {
                    Append(hash, alternative);
                }
                break;
        }
    }

    private static byte[] Bytes(Array values)
    {
        byte[] bytes = new byte[Buffer.ByteLength(values)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private static bool IsClean(Exception e) => e is RootFormatException or NotSupportedException or KeyNotFoundException;

    /// <summary>The damaged copy of case <paramref name="index"/>: mostly one flipped byte, some overwritten runs and truncations.</summary>
    private static byte[] Damage(byte[] original, int index, int seed, out string what)
    {
        // Deterministic per case (HashCode.Combine would differ between processes): a failure can be replayed.
        var r = new Random(seed * 1_000_003 + index);
        byte[] copy = (byte[])original.Clone();
        int at = r.Next(copy.Length);
        switch (index % 10)
        {
            case 8:
                int length = 1 + r.Next(16);
                for (int i = at; i < Math.Min(copy.Length, at + length); i++)
                {
                    copy[i] = (byte)r.Next(256);
                }
                what = $"{length} bytes overwritten at {at}";
                return copy;
            case 9:
                what = $"truncated to {at} bytes";
                return copy[..at];
            default:
                int bit = r.Next(8);
                copy[at] ^= (byte)(1 << bit);
                what = $"bit {bit} of byte {at} flipped";
                return copy;
        }
    }

    /// <summary>Runs <paramref name="cases"/> damaged copies of <paramref name="bytes"/>; returns how many were refused and how many read intact.</summary>
    private static (int Refused, int Intact) Fuzz(byte[] bytes, string name, int cases, int seed)
    {
        List<string> ntuples = NtupleNames(bytes, name);
        ulong original = Fingerprint(bytes, name, ntuples);
        int refused = 0;
        int intact = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Parallel.For(0, cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            byte[] damaged = Damage(bytes, i, seed, out string what);
            var clock = Stopwatch.StartNew();
            try
            {
                if (Fingerprint(damaged, name, ntuples) == original)
                {
                    Interlocked.Increment(ref intact);
                }
                else
                {
                    failures.Enqueue($"{name} case {i} ({what}): damaged bytes read as other values without an error");
                }
            }
            catch (Exception e) when (IsClean(e))
            {
                Interlocked.Increment(ref refused);
                if (string.IsNullOrEmpty(e.Message))
                {
                    failures.Enqueue($"{name} case {i} ({what}): {e.GetType().Name} without a message");
                }
            }
            catch (Exception e)
            {
                failures.Enqueue($"{name} case {i} ({what}): {e.GetType().Name}: {e.Message}");
            }
            if (clock.Elapsed > HangLimit)
            {
                failures.Enqueue($"{name} case {i} ({what}): took {clock.Elapsed.TotalSeconds:F1} s");
            }
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        return (refused, intact);
    }

    [Fact]
    public void Damaged_ntuples_are_refused_or_read_intact_never_wrong()
    {
        var clock = Stopwatch.StartNew();
        int total = 0;
        int refused = 0;
        foreach (string file in SmallFiles())
        {
            (int r, int i) = Fuzz(File.ReadAllBytes(TestData.NtuplePathOf(file)), file, CasesPerFile, seed: file.Length);
            output.WriteLine($"{file}: {r} refused, {i} read intact");
            total += r + i;
            refused += r;
        }
        // A file this library wrote: several clusters and pages, zstd.
        byte[] written = WrittenFile();
        (int wr, int wi) = Fuzz(written, "written.root", 2 * CasesPerFile, seed: 5);
        output.WriteLine($"written.root: {wr} refused, {wi} read intact");
        total += wr + wi;
        refused += wr;
        output.WriteLine($"{total} cases, {refused} refused, in {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(total >= 100_000, $"{total} cases");
        Assert.True(refused > total / 4, $"only {refused} of {total} damaged files were refused: the damage mostly missed the data");
    }

    [Fact]
    public void Damaged_physlite_pages_and_envelopes_are_refused_too()
    {
        // The 2 MB PHYSLITE file: fewer cases (each reads 850 fields), aimed at its RNTuple bytes as well as anywhere.
        byte[] bytes = File.ReadAllBytes(TestData.NtuplePathOf("uproot-physlite-rntuple_v1-0-0-0.root"));
        (int refused, int intact) = Fuzz(bytes, "uproot-physlite-rntuple_v1-0-0-0.root", 100, seed: 11);
        output.WriteLine($"physlite: {refused} refused, {intact} read intact");
    }

    private static byte[] WrittenFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"energyreg-fuzz-{Environment.ProcessId}.root");
        try
        {
            using (var file = RootFileWriter.Create(path, new RootWriteOptions(RootCompression.Zstd, 5)))
            {
                RootNtupleWriter n = file.CreateNtuple("Events", "", new RootNtupleOptions(ClusterBytes: 1024, PageBytes: 128));
                n.AddField("run", typeof(int));
                n.AddField("win", typeof(float), 2, 2);
                n.AddVectorField("Electron_pt", typeof(float), "nElectron");
                n.AddVectorField("Electron_ok", typeof(bool), "nElectron");
                var r = new Random(3);
                for (int b = 0; b < 8; b++)
                {
                    int[] counts = [.. Enumerable.Range(0, 25).Select(_ => r.Next(4))];
                    int items = counts.Sum();
                    n.Append(25, new Dictionary<string, Array>
                    {
                        ["run"] = Enumerable.Range(b * 25, 25).ToArray(),
                        ["win"] = Enumerable.Range(0, 100).Select(i => (float)r.NextDouble()).ToArray(),
                        ["nElectron"] = counts,
                        ["Electron_pt"] = Enumerable.Range(0, items).Select(i => (float)r.NextDouble() * 50).ToArray(),
                        ["Electron_ok"] = Enumerable.Range(0, items).Select(i => r.Next(2) == 1).ToArray(),
                    });
                }
                file.Commit();
            }
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
