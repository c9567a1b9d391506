using System.CommandLine;
using System.Globalization;
using EnergyRegression.Cli.Output;
using EnergyRegression.Plugins;
using EnergyRegression.Root;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg inspect FILE</c>: the directory tree of a ROOT file (keys with class and cycle) and, for
/// each TTree, its entries and branches (type, counter, entries, baskets, sizes, why unreadable), for each RNTuple its
/// fields, columns and clusters (<see cref="NtupleCommands"/>) — like
/// uproot's <c>show()</c>. Plain aligned text on stdout; documented in docs/cli-root.md.
/// </summary>
internal static class InspectCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var file = new Argument<string>("file") { Description = "The ROOT or HDF5 file." };
        var streamers = new Option<bool>("--streamers") { Description = "Also print the file's streamer infos (class layouts), like ROOT's TFile::ShowStreamerInfo." };
        var tree = new Option<string?>("--tree", "-t") { Description = "HDF5 files: the event group of the table layout shown (default events; / for datasets at the top)." };
        var command = new Command("inspect", "Show the keys of a ROOT file and, for each TTree, its entries and branches, for each RNTuple its fields, columns and clusters; or the groups, datasets, attributes and table layout of an HDF5 file.") { file, streamers, tree };
        command.SetAction(parse =>
        {
            try
            {
                string path = parse.GetValue(file)!;
                if (Hdf5Commands.IsHdf5(path))
                {
                    Hdf5Commands.Inspect(path, parse.GetValue(tree) ?? "events", Console.Out);
                    Console.Out.Flush();
                    return ExitCodes.Success;
                }
                RootFiles.EnsureExists(path);
                using var root = RootFile.Open(path);
                Inspect(root, Console.Out);
                if (parse.GetValue(streamers))
                {
                    WriteStreamerInfos(root, Console.Out);
                }
                Console.Out.Flush();
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                Console.Out.Flush();
                return ErrorReport.Handle(e, parse.GetValue(verbose));
            }
        });
        return command;
    }

    /// <summary>Each class: "StreamerInfo for class: NAME, version=V, checksum=0x…", then one line per base or member.</summary>
    private static void WriteStreamerInfos(RootFile file, TextWriter output)
    {
        foreach (RootStreamerInfo info in file.StreamerInfos)
        {
            output.WriteLine();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"StreamerInfo for class: {info.ClassName}, version={info.ClassVersion}, checksum=0x{info.CheckSum:x8}"));
            foreach (RootStreamerElement e in info.Elements)
            {
                string name = e.Name + string.Concat(e.Dimensions.Select(d => string.Create(CultureInfo.InvariantCulture, $"[{d}]")));
                string type = e.ElementClass == "TStreamerBase" ? $"BASE v{e.BaseVersion.ToString(CultureInfo.InvariantCulture)}" : e.TypeName;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {type,-24} {name,-24} type={e.TypeCode,3} {e.Title}").TrimEnd());
            }
        }
    }

    private static void Inspect(RootFile file, TextWriter output)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Path} (ROOT file version {file.Version})"));
        var trees = new List<(string Path, RootKey Key)>();
        ListDirectory(file.Root, "", 1, output, trees);
        foreach ((string path, RootKey key) in trees)
        {
            output.WriteLine();
            if (RootFile.IsNtupleClass(key.ClassName))
            {
                NtupleCommands.Inspect(file.GetNtuple(path), path, output);
                continue;
            }
            RootTree tree;
            try
            {
                tree = file.GetTree(path);
            }
            catch (Exception e) when (e is NotSupportedException or RootFormatException)
            {
                // One tree that cannot be read does not hide the rest of the file.
                output.WriteLine($"TTree {path}: cannot be read: {(e is RootFormatException f ? $"{f.Structure} at offset {f.Offset}: {f.Detail}" : e.Message)}");
                continue;
            }
            int branches = tree.Branches.Count(b => b.ColumnOf is null);
            int unreadable = tree.UnreadableBranches.Count();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TTree {path}: {tree.Entries} entries, {branches} branches, {tree.Columns.Count()} readable columns{(unreadable > 0 ? $", {unreadable} unreadable branches" : "")}, title \"{tree.Title}\""));
            WriteBranches(tree, output);
        }
    }

    /// <summary>Prints the keys of a directory (indented by depth) and collects the TTrees as "dir/sub/name;cycle".</summary>
    private static void ListDirectory(RootDirectory directory, string prefix, int depth, TextWriter output, List<(string, RootKey)> trees)
    {
        var rows = directory.Keys.Select(k => (Name: $"{k.Name};{k.Cycle}", Key: k)).ToList();
        int width = rows.Count == 0 ? 0 : rows.Max(r => r.Name.Length);
        foreach ((string name, RootKey key) in rows)
        {
            string title = key.Title.Length > 0 ? $"  \"{key.Title}\"" : "";
            output.WriteLine($"{new string(' ', 2 * depth)}{name.PadRight(width)}  {key.ClassName}{title}");
            if (key.ClassName is "TDirectory" or "TDirectoryFile")
            {
                RootDirectory sub;
                try
                {
                    sub = directory.GetDirectory(name);
                }
                catch (RootFormatException e)
                {
                    output.WriteLine($"{new string(' ', 2 * depth + 2)}(directory cannot be read: {e.Structure} at offset {e.Offset}: {e.Detail})");
                    continue;
                }
                ListDirectory(sub, prefix + key.Name + "/", depth + 1, output, trees);
            }
            else if (key.ClassName == "TTree" || RootFile.IsNtupleClass(key.ClassName))
            {
                trees.Add((prefix + name, key));
            }
        }
    }

    private static void WriteBranches(RootTree tree, TextWriter output)
    {
        string[] header = ["branch", "type", "counter", "entries", "baskets", "compressed", "uncompressed", ""];
        var rows = new List<string[]> { header };
        foreach (RootBranch b in tree.Branches)
        {
            rows.Add([
                b.Name,
                b.TypeName.Length > 0 ? b.TypeName : "-",
                b.Counter?.Name ?? "-",
                b.Entries.ToString(CultureInfo.InvariantCulture),
                b.BasketCount.ToString(CultureInfo.InvariantCulture),
                b.CompressedBytes.ToString(CultureInfo.InvariantCulture),
                b.UncompressedBytes.ToString(CultureInfo.InvariantCulture),
                !b.IsReadable ? $"unsupported: {b.UnsupportedReason}"
                    : b.IsColumn ? "" : string.Create(CultureInfo.InvariantCulture, $"read as {b.Columns.Count} columns"),
            ]);
        }
        int columns = header.Length;
        int[] widths = new int[columns];
        foreach (string[] row in rows)
        {
            for (int c = 0; c < columns; c++)
            {
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        bool[] rightAligned = [false, false, false, true, true, true, true, false];
        foreach (string[] row in rows)
        {
            var line = new System.Text.StringBuilder("  ");
            for (int c = 0; c < columns; c++)
            {
                if (c > 0)
                {
                    line.Append("  ");
                }
                line.Append(rightAligned[c] ? row[c].PadLeft(widths[c]) : c == columns - 1 ? row[c] : row[c].PadRight(widths[c]));
            }
            output.WriteLine(line.ToString().TrimEnd());
        }
    }
}

/// <summary>Helpers shared by <c>inspect</c> and <c>dump</c>.</summary>
internal static class RootFiles
{
    /// <summary>A missing input file is an input error (exit 4), not a runtime failure.</summary>
    public static void EnsureExists(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InputDataException(path, "file", "is a directory, not a ROOT file");
        }
        if (!File.Exists(path))
        {
            throw new InputDataException(path, "file", "no such file");
        }
    }

    /// <summary>Every TTree and RNTuple key of the file, as "dir/sub/name;cycle" (directories at their highest cycle), depth first.</summary>
    public static List<string> TreePaths(RootDirectory directory, string prefix = "")
    {
        var result = new List<string>();
        foreach (RootKey key in directory.Keys)
        {
            string name = $"{key.Name};{key.Cycle}";
            if (key.ClassName is "TDirectory" or "TDirectoryFile")
            {
                result.AddRange(TreePaths(directory.GetDirectory(name), prefix + key.Name + "/"));
            }
            else if (key.ClassName == "TTree" || RootFile.IsNtupleClass(key.ClassName))
            {
                result.Add(prefix + name);
            }
        }
        return result;
    }

    /// <summary>The RNTuple at <paramref name="path"/>, or null when the key there is something else (or missing: the TTree lookup reports that).</summary>
    public static RootNtuple? FindNtuple(RootFile file, string path)
    {
        RootKey key;
        try
        {
            key = file.FindKey(path);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
        return RootFile.IsNtupleClass(key.ClassName) ? file.GetNtuple(path) : null;
    }
}
