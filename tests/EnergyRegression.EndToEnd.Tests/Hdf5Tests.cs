using System.Text.Json;
using EnergyRegression.TestOracles;

namespace EnergyRegression.EndToEnd.Tests;

/// <summary>
/// HDF5 through the real tool: <c>energyreg simulate -o x.h5</c> read by h5py with the values of the JSON
/// Lines output of the same seed; configs/hdf5-friend.yaml writing a friend file; <c>inspect</c> and
/// <c>dump</c> of .h5 files compared with h5py.
/// </summary>
public sealed class Hdf5Tests
{
    private static readonly string[] _simulate = ["simulate", "--process", "zee", "--events", "150", "--seed", "3", "--pileup", "5", "--window", "8", "--quiet"];

    [Fact]
    public void Simulate_to_h5_holds_the_same_events_as_JSON_Lines_read_by_h5py_and_dump()
    {
        using var work = new TempDirectory();
        Tool.Result h5 = Tool.Run(work.Path, [.. _simulate, "--output", "zee.h5", "--batch-size", "40"]);
        Assert.True(h5.ExitCode == 0, h5.ToString());
        Tool.Result json = Tool.Run(work.Path, [.. _simulate, "--output", "zee.jsonl"]);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.False(File.Exists(work.File("zee.h5.partial")));

        H5pyDump h5py = H5pyOracle.H5py(work.File("zee.h5"));
        string[] lines = File.ReadAllLines(work.File("zee.jsonl"));
        Assert.Equal([150], h5py.Shape("/events/event"));
        List<double> events = h5py.Values("/events/event");
        List<double> offsets = h5py.Values("/Electron/offsets");
        List<double> energy = h5py.Values("/Electron/energy");
        List<double> window = h5py.Values("/Electron/window");
        Assert.Equal([(int)offsets[^1], 8, 8], h5py.Shape("/Electron/window"));
        for (int i = 0; i < lines.Length; i++)
        {
            using var line = JsonDocument.Parse(lines[i]);
            JsonElement e = line.RootElement;
            Assert.Equal(e.GetProperty("event").GetInt64(), (long)events[i]);
            int first = (int)offsets[i];
            int n = (int)offsets[i + 1] - first;
            Assert.Equal(e.GetProperty("nElectron").GetInt32(), n);
            Assert.Equal(Floats(e.GetProperty("Electron_energy")), energy.Skip(first).Take(n).Select(v => (float)v));
            Assert.Equal(Floats(e.GetProperty("Electron_window")), window.Skip(first * 64).Take(n * 64).Select(v => (float)v));
        }
        Assert.Equal(64, h5py.Attribute("/", "config_sha256").GetString()!.Length);
        Assert.Contains("type: simulate", h5py.Attribute("/", "config_text").GetString(), StringComparison.Ordinal);

        // dump prints the table layout entry by entry: the JSON Lines of the json writer, value for value.
        Tool.Result dump = Tool.Run(work.Path, "dump", "zee.h5", "--branches", "event,Electron_energy,Electron_window", "--entries", "10:20");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        string[] dumped = dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10, dumped.Length);
        for (int i = 0; i < 10; i++)
        {
            using var expected = JsonDocument.Parse(lines[10 + i]);
            using var actual = JsonDocument.Parse(dumped[i]);
            Assert.Equal(expected.RootElement.GetProperty("event").GetInt64(), actual.RootElement.GetProperty("event").GetInt64());
            Assert.Equal(Floats(expected.RootElement.GetProperty("Electron_energy")), Floats(actual.RootElement.GetProperty("Electron_energy")));
            Assert.Equal(Floats(expected.RootElement.GetProperty("Electron_window")), Floats(actual.RootElement.GetProperty("Electron_window")));
        }

        Tool.Result inspect = Tool.Run(work.Path, "inspect", "zee.h5");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains("table layout (event group /events): 150 entries", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("collection Electron: nElectron from /Electron/offsets", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("shuffle+deflate", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains($"/ config_sha256 = \"{h5py.Attribute("/", "config_sha256").GetString()}\"", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("      window           float32  ", inspect.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_friend_config_writes_only_the_new_column_lined_up_with_the_input()
    {
        using var work = new TempDirectory();
        Tool.Result simulate = Tool.Run(work.Path, [.. _simulate, "--output", "out/zee.h5"]);
        Assert.True(simulate.ExitCode == 0, simulate.ToString());
        Tool.Result run = Tool.Run(work.Path, "run", Path.Combine(Tool.RepoRoot, "configs", "hdf5-friend.yaml"), "--quiet");
        Assert.True(run.ExitCode == 0, run.ToString());

        H5pyDump input = H5pyOracle.H5py(work.File("out/zee.h5"));
        H5pyDump friend = H5pyOracle.H5py(work.File("out/zee-calib.h5"));
        Assert.Equal(["/Electron/energyCalib", "/Electron/offsets"], friend.DatasetPaths.Order(StringComparer.Ordinal));
        Assert.Equal(input.Values("/Electron/offsets"), friend.Values("/Electron/offsets"));
        List<double> energy = input.Values("/Electron/energy");
        List<double> eta = input.Values("/Electron/eta");
        List<double> calib = friend.Values("/Electron/energyCalib");
        Assert.Equal(energy.Count, calib.Count);
        for (int i = 0; i < energy.Count; i++)
        {
            Assert.Equal(energy[i] * (1.02 + (0.01 * Math.Abs(eta[i]))), calib[i], 1e-6 * Math.Max(1, Math.Abs(calib[i])));
        }
        Assert.True(File.Exists(work.File("out/zee-calib.provenance.json")));
    }

    [Fact]
    public void Damaged_h5_files_are_input_errors_in_inspect_and_dump()
    {
        using var work = new TempDirectory();
        Assert.Equal(0, Tool.Run(work.Path, [.. _simulate, "--output", "zee.h5"]).ExitCode);
        byte[] bytes = File.ReadAllBytes(work.File("zee.h5"));
        File.WriteAllBytes(work.File("cut.h5"), bytes.AsSpan(0, bytes.Length / 2).ToArray());
        Tool.Result dump = Tool.Run(work.Path, "dump", "cut.h5");
        Assert.Equal(4, dump.ExitCode);
        Assert.StartsWith("energyreg: input error: cut.h5: ", dump.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", dump.Stderr, StringComparison.Ordinal);
        Tool.Result missing = Tool.Run(work.Path, "inspect", "nope.h5");
        Assert.Equal(4, missing.ExitCode);
        Tool.Result badColumn = Tool.Run(work.Path, "dump", "zee.h5", "--branches", "Electron_energi");
        Assert.Equal(4, badColumn.ExitCode);
        Assert.Contains("did you mean 'Electron_energy'", badColumn.Stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 30's case: one flipped byte in a compressed chunk of a file written by <c>simulate -o x.h5</c>.
    /// Every chunk of three datasets is damaged in turn (where HDF5 says the chunk is): dump and a chain stop
    /// with exit 4 naming the file, the dataset and the rows, never print other values.
    /// </summary>
    [Fact]
    public void A_flipped_byte_in_any_compressed_chunk_is_exit_4_naming_file_dataset_and_rows()
    {
        using var work = new TempDirectory();
        Assert.Equal(0, Tool.Run(work.Path, ["simulate", "--process", "zee", "--events", "300", "--seed", "5", "--quiet", "--output", "x.h5"]).ExitCode);
        byte[] original = File.ReadAllBytes(work.File("x.h5"));
        int damaged = 0;
        foreach (string dataset in new[] { "/Electron/energy", "/events/rho", "/Electron/window" })
        {
            foreach ((long offset, long size, long firstRow) in H5pyOracle.ChunkInfo(work.File("x.h5"), dataset).Take(3))
            {
                byte[] bytes = (byte[])original.Clone();
                bytes[offset + (size / 2)] ^= 0x10;
                File.WriteAllBytes(work.File("bad.h5"), bytes);
                Tool.Result dump = Tool.Run(work.Path, "dump", "bad.h5");
                Assert.True(dump.ExitCode == 4, $"{dataset} chunk at {offset}: {dump}");
                Assert.Contains($"energyreg: input error: bad.h5: dataset {dataset}, rows ", dump.Stderr, StringComparison.Ordinal);
                Assert.Contains($"The chunk of rows {firstRow}–", dump.Stderr, StringComparison.Ordinal);
                Assert.Contains("Adler-32", dump.Stderr, StringComparison.Ordinal);
                damaged++;
            }
        }
        Assert.True(damaged >= 3);
        // The chain stops too (exit 4), and leaves no output.
        File.WriteAllText(work.File("chain.yaml"), "reader:\n  type: hdf5\n  with:\n    files: [bad.h5]\nwriter:\n  type: jsonl\n  with:\n    path: out.jsonl\n");
        Tool.Result run = Tool.Run(work.Path, "run", "chain.yaml", "--quiet");
        Assert.True(run.ExitCode == 4, run.ToString());
        Assert.Contains("bad.h5: dataset /Electron/window, rows ", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out.jsonl")));
    }

    /// <summary>The other case of issue 30: a flipped byte in metadata (here every object header, checksummed in the v2 format the writer uses) is exit 4, never a column dropped with a warning.</summary>
    [Fact]
    public void A_flipped_byte_in_any_object_header_is_exit_4()
    {
        using var work = new TempDirectory();
        Assert.Equal(0, Tool.Run(work.Path, [.. _simulate, "--output", "x.h5"]).ExitCode);
        byte[] original = File.ReadAllBytes(work.File("x.h5"));
        var headers = new List<int>();
        for (int i = 0; i + 4 < original.Length; i++)
        {
            if (original[i] == 'O' && original[i + 1] == 'H' && original[i + 2] == 'D' && original[i + 3] == 'R')
            {
                headers.Add(i);
            }
        }
        Assert.True(headers.Count > 40, $"{headers.Count} object headers");
        foreach (int header in headers.Where((_, k) => k % 5 == 0))
        {
            byte[] bytes = (byte[])original.Clone();
            bytes[header + 12] ^= 0x01;
            File.WriteAllBytes(work.File("bad.h5"), bytes);
            Tool.Result dump = Tool.Run(work.Path, "dump", "bad.h5", "--entries", "0:5");
            Assert.True(dump.ExitCode == 4, $"object header at {header}: {dump}");
            Assert.Contains("checksum does not match", dump.Stderr, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// A file with what the hdf5 reader leaves out (a dangling link, an empty dataset, strings, an unsupported
    /// filter): inspect shows each and why, dump prints the strings and names what it leaves out on stderr,
    /// one line each.
    /// </summary>
    [Fact]
    public void Inspect_and_dump_name_what_they_leave_out()
    {
        using var work = new TempDirectory();
        File.WriteAllText(work.File("make.py"), string.Join('\n',
            "import h5py, hdf5plugin, numpy as np",
            $"with h5py.File('{work.File("odd.h5")}', 'w') as f:",
            "    ev = f.create_group('events')",
            "    ev.create_dataset('x', data=np.arange(4, dtype=np.float32))",
            "    ev.create_dataset('label', data=np.array([b'a', b'bb', b'c', b'd']))",
            "    ev.create_dataset('empty', data=h5py.Empty('f4'))",
            "    ev['gone'] = h5py.SoftLink('/nowhere')",
            "    ev['far'] = h5py.ExternalLink('other.h5', '/x')",
            "    ev.create_dataset('zfp', data=np.arange(4, dtype=np.float32), chunks=(4,), **hdf5plugin.Zfp(reversible=True))",
            "    ev.attrs['level'] = np.float32(1.5)",
            ""));
        H5pyOracle.RunScript(work.File("make.py"));
        Tool.Result inspect = Tool.Run(work.Path, "inspect", "odd.h5");
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Contains("gone (soft link → /nowhere)", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("far (external link → other.h5:/x)", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("cannot be read: filter 32013 (zfp) is not supported", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("/events level = 1.5", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("null (no values)", inspect.Stdout, StringComparison.Ordinal);
        Tool.Result dump = Tool.Run(work.Path, "dump", "odd.h5");
        Assert.True(dump.ExitCode == 0, dump.ToString());
        Assert.Equal("{\"x\":0,\"label\":\"a\"}", dump.Stdout.Split('\n')[0]);
        string[] notes = dump.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(notes, n => n.Contains("/events/empty (an empty (null) dataspace", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("/events/gone (dangling soft link → /nowhere)", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("/events/far (the external file other.h5 is not found", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("/events/zfp (filter 32013 (zfp) is not supported", StringComparison.Ordinal));
        Tool.Result zfp = Tool.Run(work.Path, "dump", "odd.h5", "--branches", "zfp");
        Assert.Equal(4, zfp.ExitCode);
    }

    private static float[] Floats(JsonElement array) => [.. Flatten(array).Select(v => (float)v)];

    private static IEnumerable<double> Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten)
        : [e.ValueKind == JsonValueKind.String ? H5pyDump.ToDouble(e) : e.GetDouble()];
}
