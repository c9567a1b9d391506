using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using EnergyRegression.Cli.Output;
using EnergyRegression.Plugins;
using EnergyRegression.Root;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg dump FILE --tree NAME [--branches a,b] [--entries START:STOP]</c>: the entries of a TTree
/// (or of an RNTuple, <see cref="NtupleCommands"/>) as JSON Lines, one object per entry. The contract (names, value forms) is in docs/cli-root.md.
/// </summary>
internal static class DumpCommand
{
    /// <summary>Entries read per branch at a time, so a large tree streams in bounded memory.</summary>
    private const long ChunkEntries = 10_000;

    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The ROOT or HDF5 file." };
        var tree = new Option<string?>("--tree", "-t")
        {
            Description = "The tree: name, or dir/sub/name, each part optionally ;CYCLE (required for ROOT files). HDF5 files: the event group of the table layout (default events; / for datasets at the top).",
        };
        var branches = new Option<string?>("--branches", "-b")
        {
            Description = "Comma-separated branch names, in output order (default: every readable branch, in tree order).",
        };
        var entries = new Option<string?>("--entries", "-e")
        {
            Description = "Entry range START:STOP (START <= i < STOP); either side may be left out; clamped to the tree.",
        };
        var command = new Command("dump", "Print the entries of a TTree (or of an HDF5 file's table layout) as JSON Lines: one {\"branch\": value, ...} object per entry.")
        {
            file, tree, branches, entries,
        };
        command.SetAction(parse =>
        {
            string? range = parse.GetValue(entries);
            (long? Start, long? Stop) bounds = (null, null);
            if (range is not null && !TryParseRange(range, out bounds))
            {
                Console.Error.WriteLine($"energyreg: usage error: --entries '{range}' is not START:STOP (non-negative integers, either may be left out)");
                return ExitCodes.Usage;
            }
            string? list = parse.GetValue(branches);
            string[]? names = list?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (names is { Length: 0 })
            {
                Console.Error.WriteLine("energyreg: usage error: --branches names no branch");
                return ExitCodes.Usage;
            }
            string path = parse.GetValue(file)!;
            string? treePath = parse.GetValue(tree);
            try
            {
                if (Hdf5Commands.IsHdf5(path))
                {
                    return Hdf5Commands.Dump(path, treePath, names, bounds);
                }
                if (treePath is null)
                {
                    Console.Error.WriteLine("energyreg: usage error: Option '--tree' is required for ROOT files.");
                    return ExitCodes.Usage;
                }
                return Dump(path, treePath, names, bounds);
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, parse.GetValue(verbose));
            }
        });
        return command;
    }

    /// <summary>Parses <c>START:STOP</c>, <c>START:</c>, <c>:STOP</c> or <c>:</c>.</summary>
    internal static bool TryParseRange(string text, out (long? Start, long? Stop) range)
    {
        range = (null, null);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }
        string left = text[..colon].Trim();
        string right = text[(colon + 1)..].Trim();
        long? start = null;
        long? stop = null;
        if (left.Length > 0)
        {
            if (!long.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out long s))
            {
                return false;
            }
            start = s;
        }
        if (right.Length > 0)
        {
            if (!long.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out long s))
            {
                return false;
            }
            stop = s;
        }
        range = (start, stop);
        return true;
    }

    private static int Dump(string path, string treePath, string[]? names, (long? Start, long? Stop) bounds)
    {
        RootFiles.EnsureExists(path);
        using var file = RootFile.Open(path);
        if (RootFiles.FindNtuple(file, treePath) is { } ntuple)
        {
            return NtupleCommands.Dump(file, ntuple, treePath, names, bounds);
        }
        RootTree tree = FindTree(file, treePath);
        List<RootBranch> selected = Select(file, tree, treePath, names);

        long start = Math.Clamp(bounds.Start ?? 0, 0, tree.Entries);
        long stop = Math.Clamp(bounds.Stop ?? tree.Entries, start, tree.Entries);
        foreach (RootBranch b in selected)
        {
            // A branch with fewer entries than its tree cannot be read to the tree's end.
            stop = Math.Min(stop, Math.Max(start, b.Entries));
        }

        if (names is null && stop > start)
        {
            // Every column the tree lists is tried on the first entries: one whose data turns out unreadable is left
            // out with a warning naming why, before anything is written.
            long probe = Math.Min(stop, start + ChunkEntries);
            foreach (RootBranch b in selected.ToList())
            {
                try
                {
                    b.Read(start, probe);
                }
                catch (Exception e) when (e is NotSupportedException or RootFormatException)
                {
                    selected.Remove(b);
                    string why = e is RootFormatException f ? $"{f.Structure}: {f.Detail}" : e.Message;
                    Console.Error.WriteLine($"energyreg: warning: {file.Path}: tree {treePath}: branch {b.Name} ({Describe(b)}) is left out: {why}");
                }
            }
            if (selected.Count == 0)
            {
                throw new InputDataException(file.Path, $"tree {treePath}", "no branch can be read (see the warnings above)");
            }
        }

        // Property names are encoded once; the writer emits one top-level value per entry.
        // Columns that share a name are told apart by their full path (dir/sub branch names joined with '/'), as uproot's keys().
        var shared = selected.GroupBy(b => b.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        JsonEncodedText[] keys = [.. selected.Select(b => JsonEncodedText.Encode(names is null && shared.Contains(b.Name) ? b.Path : b.Name, JavaScriptEncoder.UnsafeRelaxedJsonEscaping))];
        using Stream stdout = Console.OpenStandardOutput();
        using var buffered = new BufferedStream(stdout, 1 << 16);
        using (var writer = new Utf8JsonWriter(buffered, new JsonWriterOptions { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            long chunk = Math.Max(1, Math.Min(ChunkEntries, 4_000_000 / Math.Max(1, selected.Count)));
            var arrays = new RootArray[selected.Count];
            for (long first = start; first < stop; first += chunk)
            {
                long last = Math.Min(stop, first + chunk);
                for (int b = 0; b < selected.Count; b++)
                {
                    arrays[b] = ReadOrExplain(file, treePath, selected[b], first, last);
                }
                for (long e = 0; e < last - first; e++)
                {
                    writer.WriteStartObject();
                    for (int b = 0; b < selected.Count; b++)
                    {
                        writer.WritePropertyName(keys[b]);
                        JsonValues.WriteEntry(writer, arrays[b], (int)e);
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

    /// <summary>A branch's entries, or an input error (exit 4) naming the file, tree, branch and class and saying what failed.</summary>
    private static RootArray ReadOrExplain(RootFile file, string treePath, RootBranch branch, long first, long last)
    {
        try
        {
            return branch.Read(first, last);
        }
        catch (Exception e) when (e is NotSupportedException or RootFormatException)
        {
            string detail = e is RootFormatException f ? $"{f.Structure} at offset {f.Offset}: {f.Detail}" : e.Message;
            throw new InputDataException(file.Path, $"tree {treePath}, branch {branch.Name} ({Describe(branch)})", detail, e);
        }
    }

    /// <summary>"TBranchElement Event, float32[]": the branch class, the C++ class it holds, the value type.</summary>
    internal static string Describe(RootBranch b)
    {
        string cls = b.ObjectClassName.Length > 0 ? $"{b.ClassName} {b.ObjectClassName}" : b.ClassName;
        return b.TypeName.Length > 0 && b.TypeName != b.ObjectClassName ? $"{cls}, {b.TypeName}" : cls;
    }

    private static RootTree FindTree(RootFile file, string treePath)
    {
        try
        {
            return file.GetTree(treePath);
        }
        catch (KeyNotFoundException e)
        {
            List<string> trees = RootFiles.TreePaths(file.Root);
            // Suggest by the path without cycles too, which is what a user usually types.
            IEnumerable<string> candidates = trees.Concat(trees.Select(t => string.Join('/', t.Split('/').Select(p => p.Split(';')[0])))).Distinct();
            string available = trees.Count == 0 ? "the file has no TTree or RNTuple" : "trees: " + string.Join(", ", trees);
            throw new InputDataException(file.Path, $"tree '{treePath}'",
                $"{StripFile(e.Message, file.Path)}{NameSuggestions.DidYouMean(treePath, candidates)}; {available}", e);
        }
    }

    private static string StripFile(string message, string path) =>
        message.StartsWith(path + ": ", StringComparison.Ordinal) ? message[(path.Length + 2)..] : message;

    /// <summary>
    /// The columns to dump: by default every readable column of the tree (unreadable branches are named on stderr,
    /// and a tree with nothing readable is an input error); with names, those branches — an object, leaf list or
    /// split object expands into its columns — and a branch that cannot be read is an input error naming why.
    /// </summary>
    private static List<RootBranch> Select(RootFile file, RootTree tree, string treePath, string[]? names)
    {
        string place = $"tree {treePath}";
        if (names is null)
        {
            var readable = tree.Columns.ToList();
            var unreadable = tree.UnreadableBranches.ToList();
            if (readable.Count == 0 && unreadable.Count > 0)
            {
                throw new InputDataException(file.Path, place,
                    $"no branch can be read: {string.Join("; ", unreadable.Take(5).Select(b => $"branch {b.Name} ({Describe(b)}): {b.UnsupportedReason}"))}{(unreadable.Count > 5 ? $"; and {unreadable.Count - 5} more" : "")}");
            }
            foreach (RootBranch b in unreadable)
            {
                Console.Error.WriteLine($"energyreg: warning: {file.Path}: {place}: branch {b.Name} ({Describe(b)}) is left out: {b.UnsupportedReason}");
            }
            return readable;
        }
        var result = new List<RootBranch>(names.Length);
        foreach (string name in names)
        {
            RootBranch? branch = tree.Branches.FirstOrDefault(b => b.Path == name) ?? tree.Branches.FirstOrDefault(b => b.Name == name);
            if (branch is null)
            {
                string all = string.Join(", ", tree.Branches.Select(b => b.Name));
                throw new InputDataException(file.Path, place,
                    $"no branch '{name}'{NameSuggestions.DidYouMean(name, tree.Branches.Select(b => b.Name))}; branches: {all}");
            }
            if (!branch.IsReadable)
            {
                throw new InputDataException(file.Path, $"{place}, branch {branch.Name} ({Describe(branch)})", $"cannot be read: {branch.UnsupportedReason}");
            }
            result.AddRange(branch.Columns);
        }
        return result;
    }
}

/// <summary>Writes one entry of a <see cref="RootArray"/> as a JSON value (the dump contract of docs/cli-root.md).</summary>
internal static class JsonValues
{
    public static void WriteEntry(Utf8JsonWriter writer, RootArray array, int entry)
    {
        long itemSize = 1;
        foreach (int d in array.Shape)
        {
            itemSize *= d;
        }
        if (array.NestedOffsets.Count == 0)
        {
            WriteShaped(writer, array, array.Shape, 0, entry * itemSize);
            return;
        }
        WriteList(writer, array, 0, entry, itemSize);
    }

    /// <summary>Item <paramref name="index"/> of offsets level <paramref name="level"/>: a JSON array of the next level's items (or of shaped values).</summary>
    private static void WriteList(Utf8JsonWriter writer, RootArray array, int level, long index, long itemSize)
    {
        long[] offsets = array.NestedOffsets[level];
        writer.WriteStartArray();
        for (long j = offsets[index]; j < offsets[index + 1]; j++)
        {
            if (level + 1 < array.NestedOffsets.Count)
            {
                WriteList(writer, array, level + 1, j, itemSize);
            }
            else
            {
                WriteShaped(writer, array, array.Shape, 0, j * itemSize);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>Values from <paramref name="at"/> nested by <paramref name="shape"/> from dimension <paramref name="dim"/> on (row-major).</summary>
    private static void WriteShaped(Utf8JsonWriter writer, RootArray array, int[] shape, int dim, long at)
    {
        if (dim == shape.Length)
        {
            WriteValue(writer, array.Values, at);
            return;
        }
        long stride = 1;
        for (int d = dim + 1; d < shape.Length; d++)
        {
            stride *= shape[d];
        }
        writer.WriteStartArray();
        for (int i = 0; i < shape[dim]; i++)
        {
            WriteShaped(writer, array, shape, dim + 1, at + i * stride);
        }
        writer.WriteEndArray();
    }

    internal static void WriteValue(Utf8JsonWriter writer, Array values, long i)
    {
        // Dispatch on the exact element type: the runtime lets byte[] pass as sbyte[] (and ushort[] as
        // short[], ...), so type patterns on the arrays would mix up signed and unsigned values.
        switch (Type.GetTypeCode(values.GetType().GetElementType()))
        {
            case TypeCode.Single:
                WriteFloat(writer, ((float[])values)[i]);
                break;
            case TypeCode.Double:
                WriteDouble(writer, ((double[])values)[i]);
                break;
            case TypeCode.Boolean:
                writer.WriteBooleanValue(((bool[])values)[i]);
                break;
            case TypeCode.SByte:
                writer.WriteNumberValue(((sbyte[])values)[i]);
                break;
            case TypeCode.Byte:
                writer.WriteNumberValue(((byte[])values)[i]);
                break;
            case TypeCode.Int16:
                writer.WriteNumberValue(((short[])values)[i]);
                break;
            case TypeCode.UInt16:
                writer.WriteNumberValue(((ushort[])values)[i]);
                break;
            case TypeCode.Int32:
                writer.WriteNumberValue(((int[])values)[i]);
                break;
            case TypeCode.UInt32:
                writer.WriteNumberValue(((uint[])values)[i]);
                break;
            case TypeCode.Int64:
                writer.WriteNumberValue(((long[])values)[i]);
                break;
            case TypeCode.UInt64:
                writer.WriteNumberValue(((ulong[])values)[i]);
                break;
            case TypeCode.String:
                writer.WriteStringValue(((string[])values)[i]);
                break;
            default:
                throw new NotSupportedException($"unsupported: value type {values.GetType().GetElementType()}");
        }
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }
}
