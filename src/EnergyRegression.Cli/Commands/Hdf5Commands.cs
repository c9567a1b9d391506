using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyRegression.Hdf5;
using EnergyRegression.Plugins;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg inspect FILE.h5</c> and <c>energyreg dump FILE.h5</c>: the HDF5 side of the two commands
/// (docs/cli-root.md, "HDF5 files"), over src/EnergyRegression.Hdf5. A file is HDF5 when it starts with
/// the HDF5 signature or is named .h5/.hdf5/.he5.
/// </summary>
internal static class Hdf5Commands
{
    private const long ChunkEntries = 10_000;

    /// <summary>True when <paramref name="path"/> should be read as HDF5.</summary>
    public static bool IsHdf5(string path)
    {
        if (File.Exists(path) && Hdf5File.HasSignature(path))
        {
            return true;
        }
        string extension = Path.GetExtension(path);
        return extension.Equals(".h5", StringComparison.OrdinalIgnoreCase) || extension.Equals(".hdf5", StringComparison.OrdinalIgnoreCase)
            || extension.Equals(".he5", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Library errors as input errors (exit 4) naming the file and the object.</summary>
    public static T Translate<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Hdf5FormatException ex)
        {
            throw new InputDataException(ex.File, ex.ObjectPath, ex.Detail, ex);
        }
    }

    /// <summary>The object tree with types, shapes, storage and filters; the attributes; the table layout if the file has one.</summary>
    public static void Inspect(string path, string eventGroup, TextWriter output)
    {
        RootFiles.EnsureExists(path);
        using Hdf5File file = Translate(() => Hdf5File.Open(path));
        output.WriteLine($"{path} (HDF5, superblock version {file.SuperblockVersion}{(file.UserBlock > 0 ? $", user block of {file.UserBlock} bytes" : "")})");
        var rows = new List<string[]> { (string[])["object", "type", "shape", "storage", "filters"] };
        var attributeLines = new List<string>();
        foreach (Hdf5Node node in Translate(() => file.Walk().ToList()))
        {
            string name = new string(' ', 2 * node.Depth) + (node.Path == "/" ? "/" : node.Path[(node.Path.LastIndexOf('/') + 1)..] + (node.Dataset is null && node.Problem is null ? "/" : ""))
                + (node.Link is { } link ? $" ({link})" : "");
            if (node.Dataset is { } d)
            {
                string storage = d.Chunks is { } c ? $"chunked ({string.Join(", ", c)})" : d.Layout;
                string filters = d.Filters.Count == 0 ? "-" : string.Join("+", d.Filters);
                if (d.UnsupportedFilter is { } unsupported)
                {
                    filters += $" (cannot be read: {unsupported})";
                }
                rows.Add([name, d.Type.Name, d.IsNull ? "null (no values)" : d.IsScalar ? "scalar" : string.Join(" × ", d.Dimensions), storage, filters]);
            }
            else
            {
                rows.Add([name, node.Problem is null ? "group" : "unreadable: " + node.Problem, "", "", ""]);
            }
            if (node.Problem is null)
            {
                foreach ((string attribute, string value) in Translate(() => file.Attributes(node.Path)))
                {
                    attributeLines.Add($"  {node.Path} {attribute} = {Shorten(value)}");
                }
            }
        }
        WriteTable(rows, output, rightAligned: []);
        if (attributeLines.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("attributes:");
            attributeLines.ForEach(output.WriteLine);
        }
        output.WriteLine();
        Hdf5Table table;
        try
        {
            table = Hdf5Table.Resolve(file, new Hdf5TableOptions { EventGroup = eventGroup });
        }
        catch (Hdf5FormatException ex)
        {
            output.WriteLine($"no table layout with event group {Hdf5File.Normalize(eventGroup)}: {ex.ObjectPath}: {ex.Detail}");
            return;
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{table.Layout}: {table.Entries} entries, {table.Columns.Count} columns, {table.Collections.Count} collections"));
        foreach (Hdf5Collection c in table.Collections)
        {
            output.WriteLine($"  collection {c.Name}: n{c.Name} from {c.Offsets ?? c.Counts ?? (c.Sequence is null ? "one object per entry" : c.Sequence + " (variable-length)")}");
        }
        var columns = new List<string[]> { (string[])["column", "type", "shape", "collection", "dataset"] };
        foreach (Hdf5Column c in table.Columns)
        {
            string source = c.Member is null ? c.Dataset : $"{c.Dataset} ({c.Member}{(c.Element is { } j ? $"[{j}]" : "")})";
            if (c.Member is null && c.Element is { } k)
            {
                source += c.Transposed ? $" (row {k})" : $" (column {k})";
            }
            columns.Add([c.Name, c.TypeName + (c.IsText ? " (text: dump only)" : ""), c.Shape.Length == 0 ? "-" : string.Join("×", c.Shape), c.Collection ?? "-", source]);
        }
        WriteTable(columns, output, rightAligned: []);
        foreach (string skipped in table.Skipped)
        {
            output.WriteLine($"  not a column: {skipped}");
        }
    }

    private static string Shorten(string value)
    {
        string oneLine = value.Replace("\n", "\\n", StringComparison.Ordinal);
        return oneLine.Length <= 100 ? oneLine : oneLine[..97] + "...";
    }

    private static void WriteTable(List<string[]> rows, TextWriter output, int[] rightAligned)
    {
        int columns = rows[0].Length;
        int[] widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        foreach (string[] row in rows)
        {
            var line = new System.Text.StringBuilder("  ");
            for (int c = 0; c < columns; c++)
            {
                line.Append(c > 0 ? "  " : "");
                line.Append(rightAligned.Contains(c) ? row[c].PadLeft(widths[c]) : row[c].PadRight(widths[c]));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>One JSON object per entry of the table layout: event columns as values, object columns as arrays.</summary>
    public static int Dump(string path, string? eventGroup, string[]? names, (long? Start, long? Stop) bounds)
    {
        RootFiles.EnsureExists(path);
        using Hdf5File file = Translate(() => Hdf5File.Open(path));
        Hdf5Table table = Translate(() => Hdf5Table.Resolve(file, new Hdf5TableOptions { EventGroup = eventGroup ?? "events" }));
        if (names is null)
        {
            // Nothing left out silently: one line on stderr per dataset or member not printed, with the reason.
            foreach (string skipped in table.Skipped)
            {
                Console.Error.WriteLine($"dump: {path}: not printed: {skipped}");
            }
        }
        // Each output field is a column, or a collection's count (nElectron, as the ROOT dump prints counters).
        var fields = new List<(string Name, Hdf5Column? Column, string? CountOf)>();
        if (names is null)
        {
            fields.AddRange(table.Columns.Select(c => (c.Name, (Hdf5Column?)c, (string?)null)));
        }
        else
        {
            var counts = table.Collections.Select(c => "n" + c.Name).ToList();
            foreach (string name in names)
            {
                if (counts.Contains(name, StringComparer.Ordinal))
                {
                    fields.Add((name, null, name[1..]));
                    continue;
                }
                string? why = table.Skipped.FirstOrDefault(s => s.Contains("/" + name + " (", StringComparison.Ordinal));
                Hdf5Column column = table.Columns.FirstOrDefault(c => c.Name == name)
                    ?? throw new InputDataException(path, $"group {Hdf5File.Normalize(eventGroup ?? "events")}",
                        why is not null ? $"'{name}' cannot be read: {why}"
                        : $"no column '{name}'{NameSuggestions.DidYouMean(name, table.Columns.Select(c => c.Name).Concat(counts))}; columns: {string.Join(", ", table.Columns.Select(c => c.Name))}");
                fields.Add((name, column, null));
            }
        }
        List<Hdf5Column> selected = [.. fields.Where(f => f.Column is not null).Select(f => f.Column!).Distinct()];
        long start = Math.Clamp(bounds.Start ?? 0, 0, table.Entries);
        long stop = Math.Clamp(bounds.Stop ?? table.Entries, start, table.Entries);
        Hdf5Collection[] collections = [.. table.Collections.Where(c => selected.Any(s => s.Collection == c.Name) || fields.Any(f => f.CountOf == c.Name))];
        JsonEncodedText[] keys = [.. fields.Select(f => JsonEncodedText.Encode(f.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];

        using Stream stdout = Console.OpenStandardOutput();
        using var buffered = new BufferedStream(stdout, 1 << 16);
        using (var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            long chunk = Math.Max(1, Math.Min(ChunkEntries, 4_000_000 / Math.Max(1, selected.Sum(c => Math.Max(1, c.Shape.Aggregate(1, (a, d) => a * d))))));
            for (long first = start; first < stop; first += chunk)
            {
                int n = (int)Math.Min(chunk, stop - first);
                var offsets = new Dictionary<string, long[]>(StringComparer.Ordinal);
                foreach (Hdf5Collection c in collections)
                {
                    offsets[c.Name] = Translate(() => table.ReadOffsets(c, first, n));
                }
                var buffers = new Dictionary<Hdf5Column, byte[]>();
                var texts = new Dictionary<Hdf5Column, string[]>();
                foreach (IGrouping<string?, Hdf5Column> level in selected.GroupBy(c => c.Collection))
                {
                    (long textRow, int textRows) = level.Key is null ? (first, n) : (offsets[level.Key][0], checked((int)(offsets[level.Key][n] - offsets[level.Key][0])));
                    foreach (Hdf5Column c in level.Where(c => c.IsText))
                    {
                        texts[c] = Translate(() => table.ReadText(c, textRow, textRows));
                    }
                    (long row, int rows) = level.Key is null ? (first, n) : (offsets[level.Key][0], checked((int)(offsets[level.Key][n] - offsets[level.Key][0])));
                    foreach (Hdf5Column c in level.Where(c => !c.IsText))
                    {
                        buffers[c] = new byte[checked(rows * Math.Max(1, c.Shape.Aggregate(1, (a, d) => a * d)) * Size(c.ElementType))];
                    }
                    Translate(() =>
                    {
                        table.ReadColumns([.. level.Where(c => !c.IsText)], row, rows, c => buffers[c]);
                        return 0;
                    });
                }
                for (int e = 0; e < n; e++)
                {
                    writer.WriteStartObject();
                    for (int k = 0; k < fields.Count; k++)
                    {
                        writer.WritePropertyName(keys[k]);
                        if (fields[k].CountOf is { } counted)
                        {
                            writer.WriteNumberValue(offsets[counted][e + 1] - offsets[counted][e]);
                            continue;
                        }
                        Hdf5Column c = fields[k].Column!;
                        int rowSize = Math.Max(1, c.Shape.Aggregate(1, (a, d) => a * d));
                        void Row(long row)
                        {
                            if (c.IsText)
                            {
                                WriteTexts(writer, c, texts[c], row * rowSize, 0);
                            }
                            else
                            {
                                WriteShaped(writer, c, buffers[c], row * rowSize, 0);
                            }
                        }
                        if (c.Collection is null)
                        {
                            Row(e);
                            continue;
                        }
                        long[] o = offsets[c.Collection];
                        writer.WriteStartArray();
                        for (long obj = o[e] - o[0]; obj < o[e + 1] - o[0]; obj++)
                        {
                            Row(obj);
                        }
                        writer.WriteEndArray();
                    }
                    writer.WriteEndObject();
                    writer.Flush();
                    writer.Reset();
                    buffered.WriteByte((byte)'\n');
                }
            }
        }
        buffered.Flush();
        return ExitCodes.Success;
    }

    private static int Size(Type t) => t == typeof(bool) ? 1 : t == typeof(string) ? 0 : Marshal.SizeOf(t);

    private static void WriteTexts(Utf8JsonWriter writer, Hdf5Column column, string[] values, long at, int dim)
    {
        if (dim == column.Shape.Length)
        {
            writer.WriteStringValue(values[at]);
            return;
        }
        long stride = 1;
        for (int d = dim + 1; d < column.Shape.Length; d++)
        {
            stride *= column.Shape[d];
        }
        writer.WriteStartArray();
        for (int i = 0; i < column.Shape[dim]; i++)
        {
            WriteTexts(writer, column, values, at + (i * stride), dim + 1);
        }
        writer.WriteEndArray();
    }

    private static void WriteShaped(Utf8JsonWriter writer, Hdf5Column column, byte[] values, long at, int dim)
    {
        if (dim == column.Shape.Length)
        {
            WriteValue(writer, column.ElementType, values, at);
            return;
        }
        long stride = 1;
        for (int d = dim + 1; d < column.Shape.Length; d++)
        {
            stride *= column.Shape[d];
        }
        writer.WriteStartArray();
        for (int i = 0; i < column.Shape[dim]; i++)
        {
            WriteShaped(writer, column, values, at + (i * stride), dim + 1);
        }
        writer.WriteEndArray();
    }

    private static void WriteValue(Utf8JsonWriter writer, Type type, byte[] bytes, long index)
    {
        ReadOnlySpan<byte> span = bytes;
        switch (Type.GetTypeCode(type))
        {
            case TypeCode.Single:
                float f = MemoryMarshal.Cast<byte, float>(span)[(int)index];
                if (float.IsFinite(f))
                {
                    writer.WriteNumberValue(f);
                }
                else
                {
                    writer.WriteStringValue(float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity");
                }
                break;
            case TypeCode.Double:
                double d = MemoryMarshal.Cast<byte, double>(span)[(int)index];
                if (double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else
                {
                    writer.WriteStringValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                break;
            case TypeCode.Boolean: writer.WriteBooleanValue(span[(int)index] != 0); break;
            case TypeCode.SByte: writer.WriteNumberValue((sbyte)span[(int)index]); break;
            case TypeCode.Byte: writer.WriteNumberValue(span[(int)index]); break;
            case TypeCode.Int16: writer.WriteNumberValue(MemoryMarshal.Cast<byte, short>(span)[(int)index]); break;
            case TypeCode.UInt16: writer.WriteNumberValue(MemoryMarshal.Cast<byte, ushort>(span)[(int)index]); break;
            case TypeCode.Int32: writer.WriteNumberValue(MemoryMarshal.Cast<byte, int>(span)[(int)index]); break;
            case TypeCode.UInt32: writer.WriteNumberValue(MemoryMarshal.Cast<byte, uint>(span)[(int)index]); break;
            case TypeCode.Int64: writer.WriteNumberValue(MemoryMarshal.Cast<byte, long>(span)[(int)index]); break;
            case TypeCode.UInt64: writer.WriteNumberValue(MemoryMarshal.Cast<byte, ulong>(span)[(int)index]); break;
            default: throw new NotSupportedException($"unsupported: value type {type}");
        }
    }
}
