using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Grid;

/// <summary>What <c>energyreg merge</c> did.</summary>
public sealed record MergeSummary(string Output, int ShardsMerged, IReadOnlyList<int> Missing, long Events, string CutFlowPath, string ProvenancePath);

/// <summary>
/// <c>energyreg merge DIR --output FILE</c>: checks every shard's done marker against its output (size, SHA-256) and the
/// ledger (entries, chain), concatenates the outputs in shard order — JSON Lines byte by byte, ROOT and HDF5 through
/// the format's reader and the chain's writer with its settings — checks the merged event count, and writes the summed
/// cut flow and the merged provenance next to the output. Refuses an incomplete set unless partial merges are allowed.
/// </summary>
public sealed class ShardMerger(IRunLog log, IProgressDisplay progress)
{
    private static readonly string[] RootKeys = ["tree", "compression", "level", "basket_size"];
    private static readonly string[] Hdf5Keys = ["event_group", "jagged", "chunk_rows", "deflate", "shuffle"];

    /// <summary>Merges the shards of the grid run in <paramref name="workDirectory"/> into <paramref name="output"/>.</summary>
    public async Task<MergeSummary> MergeAsync(string workDirectory, string output, bool allowPartial, CancellationToken cancellation)
    {
        string work = Path.GetFullPath(workDirectory);
        var ledger = Ledger.Load(work);
        bool friend = IsFriend(ledger);
        var merged = new List<(LedgerShard Shard, DoneMarker Done)>();
        var missing = new List<int>();
        foreach (LedgerShard shard in ledger.Shards)
        {
            var done = DoneMarker.TryRead(shard.Output);
            string? why = done is null ? "no done marker" : done.Verify();
            if (why is null && (done!.EntryStart != shard.Start || done.EntryStop != shard.Stop))
            {
                why = $"its done marker covers entries {done.EntryStart}..{done.EntryStop}, the ledger {shard.Start}..{shard.Stop}";
            }
            if (why is null && done!.ChainSha256 != ledger.ChainSha256)
            {
                why = "it ran another version of the chain (SHA-256 differs from the ledger's)";
            }
            if (why is null && friend && done!.EventsWritten != shard.Entries)
            {
                why = $"a friend output must hold every entry of its range, it holds {done.EventsWritten} of {shard.Entries}";
            }
            if (why is not null)
            {
                missing.Add(shard.Index);
                log.Warning($"shard {shard.Index}: not mergeable: {why}");
                continue;
            }
            merged.Add((shard, done!));
        }
        if (missing.Count > 0 && !allowPartial)
        {
            throw new IncompleteException($"{missing.Count} of {ledger.Shards.Count} shard(s) are not done ({string.Join(", ", missing)}): "
                + $"see 'energyreg status {workDirectory}', 'energyreg resubmit {workDirectory}'; or merge what is done with --allow-partial.");
        }
        if (merged.Count == 0)
        {
            throw new IncompleteException($"no shard of {workDirectory} is done: nothing to merge.");
        }
        long expected = merged.Sum(m => m.Done.EventsWritten);
        long events = ledger.Writer switch
        {
            "json" => ConcatenateBytes(merged.Select(m => m.Shard.Output), output),
            "root" or "hdf5" => await RewriteAsync(ledger, merged.Select(m => m.Shard.Output).ToList(), output, cancellation),
            _ => throw new UsageException($"merge concatenates json, root and hdf5 outputs; this chain's writer is '{ledger.Writer}'."),
        };
        if (events != expected)
        {
            File.Delete(output);
            throw new GridException($"the merged output has {events} events, the shards' done markers {expected}: removed {output}.");
        }
        string cutFlowPath = ChainRunner.SidecarPath(output, "cutflow");
        string provenancePath = ChainRunner.SidecarPath(output, "provenance");
        ChainRunner.WriteJsonAtomically(cutFlowPath, SumCutFlows(merged.Select(m => ChainRunner.SidecarPath(m.Shard.Output, "cutflow"))));
        ChainRunner.WriteJsonAtomically(provenancePath, MergeProvenance(ledger, merged, missing));
        return new MergeSummary(output, merged.Count, missing, events, cutFlowPath, provenancePath);
    }

    /// <summary>JSON Lines: the shards' bytes one after the other into OUTPUT.partial, renamed at the end; returns the lines.</summary>
    private static long ConcatenateBytes(IEnumerable<string> inputs, string output)
    {
        string partial = output + ".partial";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        long lines = 0;
        using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write))
        {
            byte[] buffer = new byte[1 << 16];
            foreach (string input in inputs)
            {
                using FileStream source = File.OpenRead(input);
                int read;
                while ((read = source.Read(buffer)) > 0)
                {
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                    target.Write(buffer, 0, read);
                }
            }
        }
        File.Move(partial, output, overwrite: true);
        return lines;
    }

    /// <summary>ROOT and HDF5: a chain reading the shard outputs in order with the format's reader, writing with the chain's writer and settings.</summary>
    private async Task<long> RewriteAsync(Ledger ledger, List<string> inputs, string output, CancellationToken cancellation)
    {
        var original = ChainFile.Load(ledger.Chain);
        var writerWith = (original.Root.Find("writer") as YamlMapping)?.Find("with") as YamlMapping;
        bool friend = writerWith?.Find("friend") is YamlScalar { Value: "true" };
        string[] keys = ledger.Writer == "root" ? RootKeys : Hdf5Keys;
        var writer = new StringBuilder($"path: {Json(output)}");
        if (friend)
        {
            // Friend outputs (one entry per input entry, the calibrated columns only): the shards one after the other are
            // the friend of the whole input, written again in friend mode, which checks the entries run 0, 1, 2, …
            writer.Append(", friend: true");
        }
        var reader = new StringBuilder($"files: [{string.Join(", ", inputs.Select(Json))}]");
        foreach (string key in keys)
        {
            if (writerWith?.Find(key) is YamlScalar value)
            {
                string text = value.IsPlain ? value.Value : Json(value.Value);
                writer.Append(CultureInfo.InvariantCulture, $", {key}: {text}");
                if (key is "tree" or "event_group")
                {
                    reader.Append(CultureInfo.InvariantCulture, $", {key}: {text}");
                }
            }
        }
        if (ledger.Writer == "root" && writerWith?.Find("tree") is null)
        {
            reader.Append(", tree: Events");
        }
        string yaml = $$$"""
            name: merge
            threads: 1
            reader: {type: {{{ledger.Writer}}}, with: {{{{reader}}}}}
            writer: {type: {{{ledger.Writer}}}, with: {{{{writer}}}}}

            """;
        var file = ChainFile.Parse(yaml, Path.Combine(Path.GetDirectoryName(ledger.Chain)!, "(merge chain)"));
        PluginCatalog catalog = new PluginLoader().LoadCatalogFrom(original.PluginLocations);
        RunSummary run = await new ChainRunner(log, progress).RunAsync(file, catalog, new RunOverrides { Threads = 1 }, cancellation);
        return run.Loop.EventsWritten;
    }

    private static string Json(string text) => JsonSerializer.Serialize(text);

    /// <summary>True when the chain's writer writes a friend tree or file (<c>friend: true</c>).</summary>
    private static bool IsFriend(Ledger ledger) =>
        ((ChainFile.Load(ledger.Chain).Root.Find("writer") as YamlMapping)?.Find("with") as YamlMapping)?.Find("friend") is YamlScalar { Value: "true" };

    /// <summary>The shards' cut flows summed step by step (and cut by cut); the steps must agree by name.</summary>
    internal static JsonObject SumCutFlows(IEnumerable<string> paths)
    {
        JsonObject? sum = null;
        foreach (string path in paths)
        {
            JsonObject flow = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            if (sum is null)
            {
                sum = flow;
                continue;
            }
            JsonArray steps = sum["steps"]!.AsArray();
            JsonArray add = flow["steps"]!.AsArray();
            if (steps.Count != add.Count)
            {
                throw new GridException($"{path}: {add.Count} cut-flow steps, the first shard has {steps.Count}.");
            }
            for (int i = 0; i < steps.Count; i++)
            {
                AddCounts(steps[i]!.AsObject(), add[i]!.AsObject(), path);
            }
        }
        return sum!;
    }

    /// <summary>Adds every number of <paramref name="add"/> to the same place in <paramref name="into"/>; names must match.</summary>
    private static void AddCounts(JsonObject into, JsonObject add, string path)
    {
        foreach ((string key, JsonNode? value) in add)
        {
            JsonNode? target = into[key];
            switch (value)
            {
                case JsonValue v when v.TryGetValue(out long n) && target is JsonValue t && t.TryGetValue(out long m):
                    into[key] = m + n;
                    break;
                case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                    if (target?.GetValue<string>() != v.GetValue<string>())
                    {
                        throw new GridException($"{path}: cut-flow {key} '{v.GetValue<string>()}' where the first shard has '{target}'.");
                    }
                    break;
                case JsonObject o when target is JsonObject to:
                    foreach ((string name, JsonNode? node) in o)
                    {
                        if (to[name] is JsonObject existing && node is JsonObject added)
                        {
                            AddCounts(existing, added, path);
                        }
                        else if (node is not null)
                        {
                            to[name] = node.DeepClone(); // objects of a collection the first shard never saw
                        }
                    }
                    break;
                case JsonArray a when target is JsonArray ta:
                    for (int i = 0; i < a.Count; i++)
                    {
                        if (i < ta.Count && a[i] is JsonObject ai && ta[i] is JsonObject ti)
                        {
                            AddCounts(ti, ai, path);
                        }
                        else if (i >= ta.Count)
                        {
                            ta.Add(a[i]?.DeepClone());
                        }
                    }
                    break;
            }
        }
    }

    private static JsonObject MergeProvenance(Ledger ledger, List<(LedgerShard Shard, DoneMarker Done)> merged, List<int> missing)
    {
        JsonObject first = JsonNode.Parse(File.ReadAllText(ChainRunner.SidecarPath(merged[0].Shard.Output, "provenance")))!.AsObject();
        var inputs = new List<string>();
        var shards = new JsonArray();
        foreach ((LedgerShard shard, DoneMarker done) in merged)
        {
            JsonObject provenance = JsonNode.Parse(File.ReadAllText(ChainRunner.SidecarPath(shard.Output, "provenance")))!.AsObject();
            foreach (JsonNode? input in provenance["input_files"]?.AsArray() ?? [])
            {
                string name = input!.GetValue<string>();
                if (!inputs.Contains(name, StringComparer.Ordinal))
                {
                    inputs.Add(name);
                }
            }
            shards.Add(new JsonObject
            {
                ["shard"] = done.Shard,
                ["entry_start"] = done.EntryStart,
                ["entry_stop"] = done.EntryStop,
                ["events_written"] = done.EventsWritten,
                ["output"] = shard.Output,
                ["output_sha256"] = done.OutputSha256,
                ["started_utc"] = provenance["started_utc"]?.DeepClone(),
                ["finished_utc"] = done.FinishedUtc,
                ["tool_version"] = done.ToolVersion,
            });
        }
        first["input_files"] = new JsonArray([.. inputs.Select(i => (JsonNode)i)]);
        first["shard"] = null;
        first["split"] = ledger.Split;
        first["shards"] = shards;
        first["missing_shards"] = new JsonArray([.. missing.Select(i => (JsonNode)i)]);
        first["merged_utc"] = DateTimeOffset.UtcNow;
        return first;
    }
}

/// <summary>Some shards are not done (exit code 6): <c>merge</c> without <c>--allow-partial</c>.</summary>
public sealed class IncompleteException(string message) : Exception(message);
