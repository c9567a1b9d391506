using System.Diagnostics;
using System.Text.Json;

namespace EnergyRegression.TestOracles;

// Compiled into the test projects that use h5py (Debian python3-h5py) and h5dump (Debian hdf5-tools) as
// independent HDF5 readers; the scripts next to this file are copied to the tests' output.

/// <summary>The independent readers: h5py (Debian python3-h5py) and h5dump (Debian hdf5-tools), run as child processes.</summary>
public static class H5pyOracle
{
    private static readonly Lazy<string> _python = new(FindPython);

    public static string OracleDirectory => Path.Combine(AppContext.BaseDirectory, "oracles", "h5py");

    /// <summary>h5py's view of a file (Oracle/dump_h5py.py).</summary>
    public static H5pyDump H5py(string file)
    {
        string json = Run(_python.Value, [Path.Combine(OracleDirectory, "dump_h5py.py"), file]);
        return new H5pyDump(JsonDocument.Parse(json));
    }

    /// <summary>Runs Oracle/make_h5py_files.py into <paramref name="directory"/>.</summary>
    public static void MakeH5pyFiles(string directory) => Run(_python.Value, [Path.Combine(OracleDirectory, "make_h5py_files.py"), directory]);

    /// <summary>The chunks of a dataset as HDF5 reports them (chunk_info.py): file offset, stored size, first row.</summary>
    public static List<(long Offset, long Size, long FirstRow)> ChunkInfo(string file, string dataset)
    {
        using var json = JsonDocument.Parse(RunScript("chunk_info.py", file, dataset));
        return [.. json.RootElement.EnumerateArray().Select(c => (c[0].GetInt64(), c[1].GetInt64(), c[2].GetInt64()))];
    }

    /// <summary>Runs another script of this directory (make_corpus.py: h5py, pandas, PyTables and the filter plugins).</summary>
    public static string RunScript(string script, params string[] args) => Run(_python.Value, [Path.Combine(OracleDirectory, script), .. args]);

    /// <summary>h5dump's text output with the given options.</summary>
    public static string H5dump(params string[] args) => Run("h5dump", args);

    private static string FindPython()
    {
        // Debian's python3-h5py belongs to /usr/bin/python3; a python3 earlier on PATH (pyenv) may lack it.
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            try
            {
                Run(candidate, ["-c", "import h5py"]);
                return candidate;
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
        throw new InvalidOperationException("No python3 with h5py: run scripts/setup.sh (installs Debian's python3-h5py).");
    }

    private static string Run(string program, string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }
        using Process process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} did not finish");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr.Result}");
        }
        return stdout.Result;
    }
}

/// <summary>The JSON printed by dump_h5py.py.</summary>
public sealed class H5pyDump(JsonDocument document)
{
    private JsonElement Datasets => document.RootElement.GetProperty("datasets");

    public IEnumerable<string> DatasetPaths => Datasets.EnumerateObject().Select(p => p.Name);

    public JsonElement Dataset(string path) => Datasets.TryGetProperty(path, out JsonElement d) ? d
        : throw new KeyNotFoundException($"h5py sees no dataset {path}; it has {string.Join(", ", DatasetPaths)}");

    public List<double> Values(string path, string? member = null)
    {
        JsonElement d = Dataset(path);
        JsonElement values = member is null ? d.GetProperty("values") : d.GetProperty("fields").GetProperty(member).GetProperty("values");
        return [.. values.EnumerateArray().Select(ToDouble)];
    }

    public string DType(string path) => Dataset(path).GetProperty("dtype").GetString()!;

    public int[] Shape(string path) => [.. Dataset(path).GetProperty("shape").EnumerateArray().Select(e => e.GetInt32())];

    public JsonElement Attribute(string objectPath, string name) => document.RootElement.GetProperty("attributes").GetProperty(objectPath).GetProperty(name);

    public static double ToDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => 1.0,
        JsonValueKind.False => 0.0,
        JsonValueKind.Number => e.TryGetInt64(out long l) && !e.GetRawText().Contains('.', StringComparison.Ordinal) && !e.GetRawText().Contains('e', StringComparison.OrdinalIgnoreCase)
            ? l : e.TryGetUInt64(out ulong u) && !e.GetRawText().Contains('.', StringComparison.Ordinal) ? u : e.GetDouble(),
        JsonValueKind.String => e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "-0" => -0.0,
            var s => throw new FormatException($"unexpected value {s}"),
        },
        _ => throw new FormatException($"unexpected value {e}"),
    };
}
