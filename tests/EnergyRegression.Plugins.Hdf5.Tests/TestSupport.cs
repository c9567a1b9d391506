using System.Diagnostics;
using System.Text.Json;
using EnergyRegression.Data;
using EnergyRegression.Running;

namespace EnergyRegression.Plugins.Hdf5.Tests;

/// <summary>A run context that records log messages.</summary>
internal sealed class FakeRunContext : IRunContext, IRunLog
{
    public List<string> Warnings { get; } = [];

    public IRunLog Log => this;

    public int Seed => 42;

    public CancellationToken Cancellation => CancellationToken.None;

    public Random CreateRandom(string streamName) => new(Seed ^ streamName.Length);

    public IProgressTask StartProgress(string description, long? total) => throw new NotSupportedException();

    public void Info(string message)
    {
    }

    public void Warning(string message) => Warnings.Add(message);

    public void Debug(string message)
    {
    }
}

/// <summary>Everything a sequence of batches holds, concatenated per column, for comparisons.</summary>
internal sealed class Dataset
{
    public List<long> FirstEntries { get; } = [];

    public Dictionary<string, List<int>> Counts { get; } = [];

    public Dictionary<string, List<double>> Values { get; } = [];

    public Dictionary<string, (ColumnLevel Level, string? Collection, Type Type, string Shape)> Kinds { get; } = [];

    public List<string> ColumnOrder { get; } = [];

    public List<string> CollectionOrder { get; } = [];

    public int Events { get; private set; }

    public static Dataset Of(IEnumerable<EventBatch> batches, bool dispose = true)
    {
        var data = new Dataset();
        foreach (EventBatch batch in batches)
        {
            data.Add(batch);
            if (dispose)
            {
                batch.Dispose();
            }
        }
        return data;
    }

    public void Add(EventBatch batch)
    {
        FirstEntries.Add(batch.FirstEntry);
        Events += batch.EventCount;
        foreach (string name in batch.CollectionNames)
        {
            ObjectCollection c = batch.GetCollection(name);
            if (!Counts.TryGetValue(name, out List<int>? counts))
            {
                Counts[name] = counts = [];
                CollectionOrder.Add(name);
            }
            for (int e = 0; e < batch.EventCount; e++)
            {
                counts.Add(c.CountOf(e));
            }
        }
        foreach (Column column in batch.Columns)
        {
            if (!Values.TryGetValue(column.Name, out List<double>? values))
            {
                Values[column.Name] = values = [];
                ColumnOrder.Add(column.Name);
                Kinds[column.Name] = (column.Level, column.Collection, column.ElementType, string.Join("x", column.Shape));
            }
            double[] all = new double[column.Rows * column.RowSize];
            column.CopyTo(all);
            values.AddRange(all);
        }
    }

    /// <summary>Asserts both hold the same columns, collections and values (bit for bit as doubles).</summary>
    public void AssertSameAs(Dataset expected)
    {
        Assert.Equal(expected.Events, Events);
        Assert.Equal(expected.ColumnOrder, ColumnOrder);
        Assert.Equal(expected.CollectionOrder, CollectionOrder);
        foreach (string name in CollectionOrder)
        {
            Assert.Equal(expected.Counts[name], Counts[name]);
        }
        foreach (string name in ColumnOrder)
        {
            Assert.Equal(expected.Kinds[name], Kinds[name]);
            AssertBits(expected.Values[name], Values[name], name);
        }
    }

    public static void AssertBits(IReadOnlyList<double> expected, IReadOnlyList<double> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} values, expected {expected.Count}");
        for (int i = 0; i < expected.Count; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]) && !(double.IsNaN(expected[i]) && double.IsNaN(actual[i])))
            {
                Assert.Fail($"{what}[{i}]: {actual[i]:R}, expected {expected[i]:R}");
            }
        }
    }
}

/// <summary>The independent readers: h5py (Debian python3-h5py) and h5dump (Debian hdf5-tools), run as child processes.</summary>
internal static class Oracles
{
    private static readonly Lazy<string> _python = new(FindPython);

    public static string OracleDirectory => Path.Combine(AppContext.BaseDirectory, "Oracle");

    /// <summary>h5py's view of a file (Oracle/dump_h5py.py).</summary>
    public static H5pyDump H5py(string file)
    {
        string json = Run(_python.Value, [Path.Combine(OracleDirectory, "dump_h5py.py"), file]);
        return new H5pyDump(JsonDocument.Parse(json));
    }

    /// <summary>Runs Oracle/make_h5py_files.py into <paramref name="directory"/>.</summary>
    public static void MakeH5pyFiles(string directory) => Run(_python.Value, [Path.Combine(OracleDirectory, "make_h5py_files.py"), directory]);

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
internal sealed class H5pyDump(JsonDocument document)
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

/// <summary>A fresh temporary directory, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("energyreg-hdf5-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
