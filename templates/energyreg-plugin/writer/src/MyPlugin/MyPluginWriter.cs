using System.Globalization;
using EnergyRegression.Data;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace MyPlugin;

/// <summary>
/// A writer: one CSV row per object of a collection, with the chosen object columns (the field named without the
/// collection prefix) and event columns (repeated on each row of the event), and a first comment line saying where the file
/// came from. It writes to <c>PATH.partial</c> and renames it in <see cref="Commit"/>, so an interrupted run never leaves
/// a file that looks complete; disposed without a commit, it removes the partial file. Called from one thread, with the
/// batches in input order.
/// </summary>
[Plugin("my-plugin", Description = "Writes the objects of a collection as CSV rows, committed atomically.")]
public sealed class MyPluginWriter(MyPluginConfig config) : IEventWriter
{
    private StreamWriter? _output;
    private string[]? _columns;
    private bool _opened;
    private bool _committed;

    /// <inheritdoc />
    public string OutputPath => config.Path;

    private string PartialPath => config.Path + ".partial";

    /// <inheritdoc />
    public void Open(Provenance provenance)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(config.Path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        _output = new StreamWriter(PartialPath);
        _opened = true;
        _output.WriteLine($"# {provenance.ToolVersion}: {provenance.ConfigPath} (sha256 {provenance.ConfigSha256}), seed {provenance.Seed}"
            + (provenance.Shard is null ? "" : $", shard {provenance.Shard}"));
    }

    /// <inheritdoc />
    public void Write(EventBatch batch)
    {
        StreamWriter output = _output ?? throw new InvalidOperationException("Open the writer first.");
        ObjectCollection objects = batch.GetCollectionNamedBy("collection", config.Collection);
        if (_columns is null)
        {
            _columns = config.Columns.Length > 0 ? config.Columns : [.. batch.Columns.Where(IsWritable).Select(c => c.Name)];
            output.WriteLine(string.Join(',', _columns.Select(FieldName)));
        }
        // Looked up by the config key that named them: a missing column is reported at that key of the chain file.
        Column[] columns = [.. _columns.Select((name, i) => batch.GetColumnNamedBy(config.Columns.Length > 0 ? $"columns[{i}]" : "columns", name))];
        for (int i = 0; i < columns.Length; i++)
        {
            if (!IsWritable(columns[i]))
            {
                throw new ConfigValueException($"columns[{i}]", $"'{columns[i].Name}' is not a number per {config.Collection} object or per event");
            }
        }
        var row = new string[columns.Length];
        for (int e = 0; e < batch.EventCount; e++)
        {
            for (int o = objects.Offsets[e]; o < objects.Offsets[e + 1]; o++)
            {
                for (int c = 0; c < columns.Length; c++)
                {
                    row[c] = Format(columns[c], columns[c].Level == ColumnLevel.Event ? e : o);
                }
                output.WriteLine(string.Join(',', row));
            }
        }
    }

    /// <inheritdoc />
    public void Commit()
    {
        StreamWriter output = _output ?? throw new InvalidOperationException("Open the writer first.");
        output.Flush();
        output.BaseStream.Flush();
        output.Dispose();
        _output = null;
        File.Move(PartialPath, config.Path, overwrite: true);
        _committed = true;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _output?.Dispose();
        // Built but never opened (energyreg validate): there is nothing to remove.
        if (_opened && !_committed)
        {
            File.Delete(PartialPath);
        }
    }

    private bool IsWritable(Column column) =>
        column.RowSize == 1 && (column.Level == ColumnLevel.Event || column.Collection == config.Collection);

    private string FieldName(string column) =>
        column.StartsWith(config.Collection + "_", StringComparison.Ordinal) ? column[(config.Collection.Length + 1)..] : column;

    // Shortest text that reads back to the same value (a float column as a float, not as the double it widens to).
    private static string Format(Column column, int row) => column switch
    {
        Column<float> floats => floats.Values[row].ToString(CultureInfo.InvariantCulture),
        Column<bool> flags => flags.Values[row] ? "1" : "0",
        _ => column.GetDouble(row).ToString(CultureInfo.InvariantCulture),
    };
}
