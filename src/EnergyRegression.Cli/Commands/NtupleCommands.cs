using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyRegression.Plugins;
using EnergyRegression.Root;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>inspect</c> and <c>dump</c> of the RNTuples of a ROOT file (docs/cli-root.md, "RNTuples"): the fields with their
/// types, kinds, columns and sizes, the clusters; the entries as JSON Lines, one object per entry with a value per
/// top-level field shaped like the field.
/// </summary>
internal static class NtupleCommands
{
    /// <summary>Entries read per chunk, so that a large RNTuple streams in bounded memory.</summary>
    private const long ChunkEntries = 10_000;

    private static readonly string[] _fieldHeader = ["field", "type", "kind", "columns", "pages", "compressed", "uncompressed", ""];
    private static readonly string[] _clusterHeader = ["cluster", "first entry", "entries", "pages", "compressed", "uncompressed"];

    public static void Inspect(RootNtuple ntuple, string path, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RNTuple {path}: {ntuple.Entries} entries, {ntuple.ClusterCount} clusters in {ntuple.ClusterGroups} group(s), {ntuple.Fields.Count} top-level fields, format {ntuple.FormatVersion}, written by \"{ntuple.Writer}\""));
        if (ntuple.Description.Length > 0)
        {
            output.WriteLine($"  description \"{ntuple.Description}\"");
        }
        IReadOnlyList<RootNtupleColumnSize> sizes = ntuple.ColumnSizes();
        var rows = new List<string[]> { _fieldHeader };
        foreach (RootNtupleField field in ntuple.AllFields)
        {
            var own = sizes.Where(s => field.Columns.Any(c => !c.IsAlias && c.Id == s.Id)).ToList();
            string columns = field.Columns.Count == 0 ? "-" : string.Join(" ", field.Columns.Select(c => (c.IsAlias ? "alias " : "") + c.Description));
            string note = (field.IsLateAdded ? "added while writing; " : "") + (field.IsProjected ? $"projected from {field.Source?.Path}; " : "")
                + (field.Kind == RootNtupleFieldKind.Unsupported ? $"unsupported: {field.UnsupportedReason}" : "");
            rows.Add([
                new string(' ', 2 * Depth(field)) + field.Name,
                field.TypeName.Length > 0 ? field.TypeName : "(untyped)",
                Kind(field),
                columns,
                own.Sum(s => s.Pages).ToString(CultureInfo.InvariantCulture),
                own.Sum(s => s.CompressedBytes).ToString(CultureInfo.InvariantCulture),
                own.Sum(s => s.UncompressedBytes).ToString(CultureInfo.InvariantCulture),
                note.TrimEnd(' ', ';'),
            ]);
        }
        Table(output, rows, [false, false, false, false, true, true, true, false]);
        output.WriteLine();
        (long metaCompressed, long metaUncompressed) = ntuple.MetadataBytes;
        var clusters = new List<string[]> { _clusterHeader };
        foreach (RootNtupleCluster c in ntuple.Clusters())
        {
            clusters.Add([.. new long[] { c.Id, c.FirstEntry, c.Entries, c.Pages, c.CompressedBytes, c.UncompressedBytes }.Select(v => v.ToString(CultureInfo.InvariantCulture))]);
        }
        Table(output, clusters, [true, true, true, true, true, true]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  header and footer: {metaCompressed} bytes ({metaUncompressed} uncompressed)"));
    }

    private static int Depth(RootNtupleField field)
    {
        int depth = 0;
        for (RootNtupleField? up = field.Parent; up is not null; up = up.Parent)
        {
            depth++;
        }
        return depth;
    }

    private static string Kind(RootNtupleField field) => field.Kind switch
    {
        RootNtupleFieldKind.FixedArray => string.Create(CultureInfo.InvariantCulture, $"array[{field.ArraySize}]"),
        RootNtupleFieldKind.Bitset => string.Create(CultureInfo.InvariantCulture, $"bitset[{field.ArraySize}]"),
        RootNtupleFieldKind.Unsupported => "unsupported",
        _ => field.Kind.ToString().ToLowerInvariant(),
    };

    private static void Table(TextWriter output, List<string[]> rows, bool[] rightAligned)
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
                line.Append(rightAligned[c] ? row[c].PadLeft(widths[c]) : c == columns - 1 ? row[c] : row[c].PadRight(widths[c]));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    /// <summary>Dumps the fields <paramref name="names"/> (default: every readable top-level field) over the entry range.</summary>
    public static int Dump(RootFile file, RootNtuple ntuple, string path, string[]? names, (long? Start, long? Stop) bounds)
    {
        var fields = new List<RootNtupleField>();
        if (names is null)
        {
            foreach (RootNtupleField f in ntuple.Fields)
            {
                if (f.IsReadable)
                {
                    fields.Add(f);
                }
                else
                {
                    Console.Error.WriteLine($"energyreg: warning: {f.UnsupportedReason}; the field is not dumped");
                }
            }
        }
        else
        {
            foreach (string name in names)
            {
                RootNtupleField field;
                try
                {
                    field = ntuple.GetField(name);
                }
                catch (KeyNotFoundException)
                {
                    IEnumerable<string> all = ntuple.AllFields.Select(f => f.Path);
                    throw new InputDataException(file.Path, $"RNTuple {path}",
                        $"no field '{name}'{NameSuggestions.DidYouMean(name, all)}; fields: {string.Join(", ", ntuple.Fields.Select(f => f.Name))}");
                }
                if (!field.IsReadable)
                {
                    throw new InputDataException(file.Path, $"RNTuple {path}", $"not supported: {field.UnsupportedReason}");
                }
                fields.Add(field);
            }
        }
        long start = Math.Clamp(bounds.Start ?? 0, 0, ntuple.Entries);
        long stop = Math.Clamp(bounds.Stop ?? ntuple.Entries, start, ntuple.Entries);
        JsonEncodedText[] keys = [.. (names ?? [.. fields.Select(f => f.Name)]).Select(n => JsonEncodedText.Encode(n, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];
        using Stream stdout = Console.OpenStandardOutput();
        using var buffered = new BufferedStream(stdout, 1 << 16);
        using (var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var arrays = new NtupleArray[fields.Count];
            for (long first = start; first < stop; first += ChunkEntries)
            {
                long last = Math.Min(stop, first + ChunkEntries);
                for (int f = 0; f < fields.Count; f++)
                {
                    arrays[f] = Read(file, ntuple, fields[f], first, last);
                }
                for (long e = 0; e < last - first; e++)
                {
                    writer.WriteStartObject();
                    for (int f = 0; f < fields.Count; f++)
                    {
                        writer.WritePropertyName(keys[f]);
                        NtupleJson.Write(writer, fields[f], arrays[f], e);
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

    private static NtupleArray Read(RootFile file, RootNtuple ntuple, RootNtupleField field, long first, long last)
    {
        try
        {
            return ntuple.Read(field, first, last);
        }
        catch (ArgumentException e)
        {
            throw new InputDataException(file.Path, $"RNTuple {ntuple.Name}", e.Message, e);
        }
    }
}

/// <summary>
/// One element of an <see cref="NtupleArray"/> as JSON (docs/cli-root.md, "RNTuples"): numbers as for TTrees, strings,
/// collections and fixed-size arrays as arrays (bitsets as arrays of booleans), records as objects keyed by their
/// subfield names (<c>_0</c>, <c>_1</c> for pairs and tuples, <c>:_0</c> for a base class), variants as the value
/// they hold or null, <c>std::optional</c> and <c>std::unique_ptr</c> as the value or null.
/// </summary>
internal static class NtupleJson
{
    public static void Write(Utf8JsonWriter writer, RootNtupleField field, NtupleArray array, long element)
    {
        switch (array)
        {
            case NtupleLeafArray leaf:
                JsonValues.WriteValue(writer, leaf.Values, element);
                return;
            case NtupleStringArray strings:
                writer.WriteStringValue(strings.Values[element]);
                return;
            case NtupleListArray list:
            {
                RootNtupleField child = Unwrap(field).Children[0];
                long begin = list.Offsets[element];
                long end = list.Offsets[element + 1];
                if (IsOptional(field))
                {
                    if (begin == end)
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        Write(writer, child, list.Content, begin);
                    }
                    return;
                }
                writer.WriteStartArray();
                for (long j = begin; j < end; j++)
                {
                    Write(writer, child, list.Content, j);
                }
                writer.WriteEndArray();
                return;
            }
            case NtupleFixedArray fixedArray:
            {
                RootNtupleField inner = Unwrap(field);
                RootNtupleField child = inner.Kind == RootNtupleFieldKind.Bitset ? inner : inner.Children[0];
                writer.WriteStartArray();
                for (long j = element * fixedArray.Size; j < (element + 1) * fixedArray.Size; j++)
                {
                    Write(writer, child, fixedArray.Content, j);
                }
                writer.WriteEndArray();
                return;
            }
            case NtupleRecordArray record:
            {
                RootNtupleField inner = Unwrap(field);
                writer.WriteStartObject();
                for (int k = 0; k < record.Names.Count; k++)
                {
                    writer.WritePropertyName(record.Names[k]);
                    Write(writer, inner.Children[k], record.Fields[k], element);
                }
                writer.WriteEndObject();
                return;
            }
            case NtupleVariantArray variant:
            {
                byte tag = variant.Tags[element];
                if (tag == 0)
                {
                    writer.WriteNullValue();
                    return;
                }
                Write(writer, Unwrap(field).Children[tag - 1], variant.Alternatives[tag - 1], variant.Index[element]);
                return;
            }
            default:
                throw new NotSupportedException($"unsupported: values of type {array.GetType().Name}");
        }
    }

    /// <summary>Atomics and enums read as their one subfield.</summary>
    private static RootNtupleField Unwrap(RootNtupleField field) =>
        field.Kind == RootNtupleFieldKind.Wrapper ? Unwrap(field.Children[0]) : field;

    private static bool IsOptional(RootNtupleField field) =>
        Unwrap(field).TypeName.StartsWith("std::optional<", StringComparison.Ordinal) || Unwrap(field).TypeName.StartsWith("std::unique_ptr<", StringComparison.Ordinal);
}
