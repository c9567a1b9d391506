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

    private static float[] Floats(JsonElement array) => [.. Flatten(array).Select(v => (float)v)];

    private static IEnumerable<double> Flatten(JsonElement e) => e.ValueKind == JsonValueKind.Array
        ? e.EnumerateArray().SelectMany(Flatten)
        : [e.ValueKind == JsonValueKind.String ? H5pyDump.ToDouble(e) : e.GetDouble()];
}
