using System.Text;
using EnergyRegression.Hdf5;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>
/// Mutated files: 100,000 cases over corpus files of every structure (filters and their checksums, v2
/// metadata checksums, links, external and virtual storage, variable-length heaps, pandas tables) — bit
/// flips anywhere, bit flips inside compressed chunks, bytes set to 0 or 255, truncations. Each read either
/// gives the values or stops with an <see cref="Hdf5FormatException"/> naming the file; no other exception,
/// no hang. A flip inside a chunk whose filters carry a checksum (deflate's Adler-32, fletcher32, bzip2's
/// CRC, zstd's frame checksum) never gives different values: it gives the same values (a bit the format
/// does not use) or an error.
/// </summary>
public sealed class FuzzTests(CorpusFiles corpus) : IClassFixture<CorpusFiles>
{
    // HDF5_FUZZ_CASES lowers the count while developing; CI runs all.
    private static readonly int _cases = int.TryParse(Environment.GetEnvironmentVariable("HDF5_FUZZ_CASES"), out int n) ? n : 100_000;

    private static readonly string[] _files =
    [
        "filter_shuffle_deflate.h5", "filter_fletcher32_deflate.h5", "filter_fletcher32.h5", "filter_bzip2.h5", "filter_zstd.h5",
        "filter_blosc_zstd_bitshuffle.h5", "filter_blosc_blosclz_shuffle.h5", "filter_lz4.h5", "filter_lzf.h5", "filter_szip_nn.h5",
        "filter_scaleoffset.h5", "filter_nbit.h5", "index_latest.h5", "index_implicit.h5", "links.h5", "links_group.h5", "types.h5",
        "odd.h5", "pandas_table.h5", "pandas_fixed.h5", "layout_virtual.h5", "layout_external.h5", "layout_compact.h5", "userblock_1024.h5",
    ];

    private static readonly string[] _checksummed = ["deflate", "fletcher32", "bzip2", "zstd"];

    [Fact]
    public async Task Mutated_files_read_or_fail_cleanly_and_damaged_checksummed_chunks_never_give_other_values()
    {
        // A hang would stop the test run: the cases run on a worker and must finish (generously) in time.
        List<string> failures = await Task.Run(Run).WaitAsync(TimeSpan.FromMinutes(20));
        Assert.True(failures.Count == 0, $"{failures.Count} failures:\n" + string.Join("\n", failures.Take(30)));
    }

    private List<string> Run()
    {
        var failures = new List<string>();
        var random = new Random(28);
        int perFile = _cases / _files.Length;
        int errors = 0, chunkFlips = 0;
        foreach (string name in _files)
        {
            string path = corpus.File(name);
            byte[] original = File.ReadAllBytes(path);
            string reference = ReadEverything(path, original, out string? error, walk: false)
                ?? throw new InvalidOperationException($"{name} does not read: {error}");
            (List<(long Position, long Size)> all, List<(long Position, long Size)> checksummed) = Chunks(path);
            for (int k = 0; k < perFile; k++)
            {
                byte[] bytes = (byte[])original.Clone();
                int kind = k % 4;
                string what;
                bool inChecksummedChunk = false;
                switch (kind)
                {
                    case 0:
                    {
                        int at = random.Next(bytes.Length);
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        what = $"bit flip at {at}";
                        break;
                    }
                    case 1 when all.Count > 0:
                    {
                        bool pickChecksummed = checksummed.Count > 0 && random.Next(2) == 0;
                        (long position, long size) = pickChecksummed ? checksummed[random.Next(checksummed.Count)] : all[random.Next(all.Count)];
                        long at = position + random.NextInt64(Math.Max(1, size));
                        bytes[at] ^= (byte)(1 << random.Next(8));
                        inChecksummedChunk = checksummed.Any(c => at >= c.Position && at < c.Position + c.Size);
                        chunkFlips++;
                        what = $"bit flip in a chunk at {at}";
                        break;
                    }
                    case 2:
                    {
                        int at = random.Next(Math.Min(bytes.Length, 8192));
                        bytes[at] = random.Next(2) == 0 ? (byte)0 : (byte)255;
                        what = $"byte set at {at}";
                        break;
                    }
                    default:
                    {
                        int length = random.Next(bytes.Length);
                        bytes = bytes[..length];
                        what = $"truncated to {length}";
                        break;
                    }
                }
                string? values;
                try
                {
                    values = ReadEverything(path, bytes, out error, walk: k % 10 == 0);
                }
                catch (Exception ex)
                {
                    failures.Add($"{name}, {what}: {ex.GetType().Name}: {ex.Message} {ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
                    continue;
                }
                if (values is null)
                {
                    errors++;
                }
                else if (inChecksummedChunk && values != reference && k % 10 != 0)
                {
                    failures.Add($"{name}, {what}: a damaged checksummed chunk gave other values without an error");
                }
            }
        }
        if (errors < _cases / 10 || chunkFlips < _cases / 10)
        {
            failures.Add($"only {errors} errors and {chunkFlips} chunk flips in {_cases} cases");
        }
        return failures;
    }

    /// <summary>The chunks of every dataset of a file; and those whose filters carry a checksum.</summary>
    private static (List<(long, long)> All, List<(long, long)> Checksummed) Chunks(string path)
    {
        var all = new List<(long, long)>();
        var checksummed = new List<(long, long)>();
        using var file = Hdf5File.Open(path);
        foreach (Hdf5Node node in file.Walk())
        {
            if (node.Dataset is { Chunks: not null } d && node.Link is null)
            {
                IReadOnlyList<(long, long)> extents = d.ChunkExtents();
                all.AddRange(extents);
                if (d.Filters.Any(f => _checksummed.Contains(f)))
                {
                    checksummed.AddRange(extents);
                }
            }
        }
        return (all, checksummed);
    }

    /// <summary>Every value of the file's table (numbers, counts, text) as text, or null with the error.</summary>
    private static string? ReadEverything(string path, byte[] bytes, out string? error, bool walk)
    {
        error = null;
        try
        {
            using var file = Hdf5File.Open(path, bytes);
            var table = Hdf5Table.Resolve(file, new Hdf5TableOptions());
            if (table.Entries > 100_000)
            {
                return "(entries changed)";
            }
            int n = (int)table.Entries;
            var text = new StringBuilder();
            var objects = new Dictionary<string, long[]>();
            foreach (Hdf5Collection c in table.Collections)
            {
                long[] offsets = table.ReadOffsets(c, 0, n);
                objects[c.Name] = offsets;
                text.AppendJoin(',', offsets).Append('\n');
                if (offsets[n] - offsets[0] > 1_000_000)
                {
                    return "(objects changed)";
                }
                foreach (Hdf5Column column in table.Columns.Where(col => col.Collection == c.Name))
                {
                    Append(table, column, offsets[0], checked((int)(offsets[n] - offsets[0])), text);
                }
            }
            foreach (Hdf5Column column in table.Columns.Where(col => col.Collection is null))
            {
                Append(table, column, 0, n, text);
            }
            foreach (Hdf5Node node in walk ? file.Walk() : [])
            {
                text.Append(node.Path).Append(node.Problem).Append('\n');
                foreach ((string name, string value) in file.Attributes(node.Path))
                {
                    text.Append(name).Append('=').Append(value).Append('\n');
                }
            }
            return text.ToString();
        }
        catch (Hdf5FormatException ex) when (ex.File == path)
        {
            error = ex.Message;
            return null;
        }
    }

    private static void Append(Hdf5Table table, Hdf5Column column, long first, int rows, StringBuilder text)
    {
        if (column.IsText)
        {
            text.AppendJoin('|', table.ReadText(column, first, rows)).Append('\n');
            return;
        }
        int size = Math.Max(1, column.Shape.Aggregate(1, (a, d) => a * d)) * Hdf5Type.ClrSize(column.ElementType);
        byte[] buffer = new byte[checked(rows * size)];
        table.ReadColumns([column], first, rows, _ => buffer);
        text.Append(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(buffer))).Append('\n');
    }
}
