using System.Reflection;
using System.Text.Json;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Grid;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>Command-line overrides of a chain's top-level settings.</summary>
public sealed record RunOverrides
{
    /// <summary>Overrides <c>threads:</c>.</summary>
    public int? Threads { get; init; }

    /// <summary>Overrides <c>batch_size:</c>.</summary>
    public int? BatchSize { get; init; }

    /// <summary>Overrides <c>max_events:</c>.</summary>
    public long? MaxEvents { get; init; }

    /// <summary>Overrides <c>seed:</c>.</summary>
    public int? Seed { get; init; }

    /// <summary><c>--output</c>: replaces the <c>path:</c> of the chain's writer.</summary>
    public string? Output { get; init; }

    /// <summary><c>--shard K/N</c>: run only that shard of the input (docs/grid.md).</summary>
    public ShardRequest? Shard { get; init; }

    /// <summary>The event-loop settings of <paramref name="definition"/> with these overrides applied.</summary>
    public EventLoopOptions LoopOptions(ChainDefinition definition) => new()
    {
        BatchSize = BatchSize ?? definition.BatchSize,
        Threads = Threads ?? (definition.Threads > 0 ? definition.Threads : Environment.ProcessorCount),
        MaxEvents = MaxEvents ?? definition.MaxEvents,
    };
}

/// <summary><c>--shard K/N</c> with the split (<c>--files-per-job</c>, <c>--events-per-job</c>, or balanced by entries).</summary>
public sealed record ShardRequest(int Index, int Count, ShardSplit Split)
{
    /// <summary><c>K/N</c>.</summary>
    public string Label => $"{Index.ToString(System.Globalization.CultureInfo.InvariantCulture)}/{Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}

/// <summary>What a run produced, for the final summary.</summary>
public sealed record RunSummary(EventLoopResult Loop, string? OutputPath, string? CutFlowPath, string? ProvenancePath)
{
    /// <summary>A shard whose done marker matched its output: nothing was run (resume).</summary>
    public bool AlreadyDone { get; init; }

    /// <summary>The done marker a shard run wrote (or found), else null.</summary>
    public string? DoneMarkerPath { get; init; }
}

/// <summary>
/// Loads a chain file, its plugins, builds the chain and runs it; writes the cut flow and provenance
/// next to the output after the writer has committed it.
/// </summary>
public sealed class ChainRunner(IRunLog log, IProgressDisplay progress)
{
    /// <summary>The tool's version, as stored in provenance.</summary>
    public static string ToolVersion { get; } = "energyreg " +
        (typeof(ChainRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?");

    /// <summary>JSON settings of the files the tool writes next to outputs.</summary>
    public static JsonSerializerOptions SidecarJson { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>Loads the chain file and the plugins it may use.</summary>
    public static (ChainFile File, PluginCatalog Catalog) Load(string chainPath)
    {
        var file = ChainFile.Load(chainPath);
        PluginCatalog catalog = new PluginLoader().LoadCatalogFrom(file.PluginLocations);
        return (file, catalog);
    }

    /// <summary>
    /// Checks a chain without running it: YAML, plugin types, every config, plugin construction, and the columns the
    /// stages look up against those the reader gives (<see cref="ColumnCheck"/>). With
    /// <see cref="RunMode.Train"/> the trainable regressor is built for training (its model need not exist yet).
    /// </summary>
    public void Validate(string chainPath, RunMode mode = RunMode.Apply)
    {
        (ChainFile file, PluginCatalog catalog) = Load(chainPath);
        var context = new RunContext(log, progress, file.Definition.Seed, CancellationToken.None, mode);
        using var chain = Chain.Build(file, catalog, context);
        string columns = ColumnCheck.Run(chain, mode, CancellationToken.None);
        log.Info($"{chainPath}: valid chain '{file.Definition.Name}': reader {chain.Reader.Plugin.Name}, "
            + $"{chain.Stages.Count} stage(s), {(chain.Writer is null ? "no writer" : "writer " + chain.Writer.Plugin.Name)}; {columns}");
    }

    /// <summary>Runs a chain file end to end.</summary>
    public Task<RunSummary> RunAsync(string chainPath, RunOverrides overrides, CancellationToken cancellation)
    {
        (ChainFile file, PluginCatalog catalog) = Load(chainPath);
        return RunAsync(file, catalog, overrides, cancellation);
    }

    /// <summary>Runs an already parsed chain (e.g. one a command generated) with the plugins of <paramref name="catalog"/>.</summary>
    public async Task<RunSummary> RunAsync(ChainFile file, PluginCatalog catalog, RunOverrides overrides, CancellationToken cancellation)
    {
        string chainPath = file.Path;
        ChainDefinition definition = file.Definition;
        int seed = overrides.Seed ?? definition.Seed;
        var context = new RunContext(log, progress, seed, cancellation);
        using var chain = Chain.Build(file, catalog, context, null, WriterWith(file, overrides));

        EventLoopOptions options = overrides.LoopOptions(definition);
        Provenance provenance = NewProvenance(file, chain, seed);
        var writer = chain.Writer?.Instance as IEventWriter;
        if (writer is null && overrides.Output is not null)
        {
            throw new UsageException($"{chainPath}: --output {overrides.Output}: the chain has no writer.");
        }
        Shard? shard = null;
        if (overrides.Shard is { } request)
        {
            if (writer is null)
            {
                throw new UsageException($"{chainPath}: --shard needs a chain with a writer: a shard's output is what it leaves behind.");
            }
            shard = SelectShard(chain, request, options.MaxEvents);
            options = options with { MaxEvents = 0 };
            provenance = provenance with { Shard = request.Label };
            if (DoneMarker.TryRead(writer.OutputPath) is { } done)
            {
                string? why = done.Shard != request.Label || done.Split != request.Split.ToString() || done.ChainSha256 != file.Sha256
                    || done.EntryStart != shard.Start || done.EntryStop != shard.Stop
                    ? "it is for another shard, split or chain" : done.Verify();
                if (why is null)
                {
                    log.Info($"shard {request.Label}: already done ({DoneMarker.PathFor(writer.OutputPath)} matches {writer.OutputPath}); nothing to do");
                    return new RunSummary(new EventLoopResult(done.EventsRead, done.EventsWritten, new CutFlow(), TimeSpan.Zero), writer.OutputPath,
                        SidecarPath(writer.OutputPath, "cutflow"), SidecarPath(writer.OutputPath, "provenance"))
                    { AlreadyDone = true, DoneMarkerPath = DoneMarker.PathFor(writer.OutputPath) };
                }
                log.Warning($"shard {request.Label}: the done marker {DoneMarker.PathFor(writer.OutputPath)} does not hold ({why}); running the shard again");
            }
            if (File.Exists(DoneMarker.PathFor(writer.OutputPath)))
            {
                File.Delete(DoneMarker.PathFor(writer.OutputPath));
            }
            log.Info($"shard {request.Label} ({request.Split}): entries {shard.Start}..{shard.Stop} ({shard.Entries}) of "
                + string.Join(", ", shard.Slices.Select(s => $"{s.Path} [{s.Start}:{s.Stop})")));
        }

        if (writer is not null)
        {
            try
            {
                writer.Open(provenance);
            }
            catch (Exception e)
            {
                throw chain.Writer!.Translate(e, "to open its output");
            }
        }

        log.Info($"running '{definition.Name}' ({chainPath}, sha256 {file.Sha256[..12]}) with {options.Threads} thread(s), batches of {options.BatchSize}");
        EventLoopResult result = await new EventLoop(chain, progress).RunAsync(options, cancellation);

        if (writer is null)
        {
            return new RunSummary(result, null, null, null);
        }
        try
        {
            writer.Commit();
        }
        catch (Exception e)
        {
            throw chain.Writer!.Translate(e, "to finish its output");
        }
        string cutFlowPath = SidecarPath(writer.OutputPath, "cutflow");
        string provenancePath = SidecarPath(writer.OutputPath, "provenance");
        WriteJsonAtomically(cutFlowPath, CutFlowDocument(result.CutFlow));
        WriteJsonAtomically(provenancePath, provenance);
        string? donePath = null;
        if (shard is not null)
        {
            // Last: the marker says the output and its sidecars are complete.
            donePath = DoneMarker.PathFor(writer.OutputPath);
            WriteJsonAtomically(donePath, new DoneMarker
            {
                Shard = overrides.Shard!.Label,
                Split = overrides.Shard.Split.ToString(),
                EntryStart = shard.Start,
                EntryStop = shard.Stop,
                EventsRead = result.EventsRead,
                EventsWritten = result.EventsWritten,
                Output = writer.OutputPath,
                OutputBytes = new FileInfo(writer.OutputPath).Length,
                OutputSha256 = DoneMarker.Sha256Of(writer.OutputPath),
                ChainSha256 = file.Sha256,
                ToolVersion = ToolVersion,
                FinishedUtc = DateTimeOffset.UtcNow,
            });
        }
        return new RunSummary(result, writer.OutputPath, cutFlowPath, provenancePath) { DoneMarkerPath = donePath };
    }

    /// <summary>
    /// The shards of <paramref name="chain"/>'s input under <paramref name="split"/> (the reader must implement
    /// <see cref="IShardableReader"/>), with at most <paramref name="maxEvents"/> entries in all (0: no limit).
    /// </summary>
    public static IReadOnlyList<Shard> PlanShards(Chain chain, ShardSplit split, long maxEvents)
    {
        IShardableReader reader = ShardableReader(chain);
        IReadOnlyList<long> counts;
        try
        {
            counts = reader.CountEntriesPerFile();
        }
        catch (Exception e)
        {
            throw chain.Reader.Translate(e, "to count its entries");
        }
        return ShardPlan.Split(counts, reader.InputFiles, split, maxEvents);
    }

    private static IShardableReader ShardableReader(Chain chain) => chain.Reader.Instance as IShardableReader
        ?? throw new ConfigurationException(chain.File.Path, chain.Reader.Position.Line, chain.Reader.Position.Column,
            $"the reader '{chain.Reader.Plugin.Name}' cannot be split into shards (it does not implement IShardableReader); docs/grid.md lists the readers that can");

    private static Shard SelectShard(Chain chain, ShardRequest request, long maxEvents)
    {
        IReadOnlyList<Shard> shards = PlanShards(chain, request.Split, maxEvents);
        if (shards.Count != request.Count)
        {
            throw new UsageException($"--shard {request.Label}: the input splits into {shards.Count} shard(s) with {request.Split}, not {request.Count}; "
                + $"use --shard K/{shards.Count}");
        }
        Shard shard = shards[request.Index];
        ShardableReader(chain).Restrict(shard.Start, shard.Stop);
        return shard;
    }

    /// <summary>
    /// The writer's <c>with:</c> with <c>path:</c> replaced: by <c>--output</c>, or for a shard by the chain's path with
    /// <c>.shard-K-of-N</c> before its extension; null to keep the chain's.
    /// </summary>
    private static YamlMapping? WriterWith(ChainFile file, RunOverrides overrides)
    {
        if (file.Root.Find("writer") is not YamlMapping writer || (overrides.Output is null && overrides.Shard is null))
        {
            return null;
        }
        var with = writer.Find("with") as YamlMapping;
        string? path = overrides.Output;
        if (path is null && with?.Find("path") is YamlScalar configured)
        {
            path = ShardPath(configured.Value, overrides.Shard!.Index, overrides.Shard.Count);
        }
        return path is null ? null : Chain.WithKey(with, writer.Position, "path", path);
    }

    /// <summary><c>out/calib.root</c>, shard 3 of 4 → <c>out/calib.shard-3-of-4.root</c>.</summary>
    public static string ShardPath(string path, int index, int count)
    {
        string name = Path.GetFileName(path);
        int dot = name.LastIndexOf('.');
        string suffix = $".shard-{index.ToString(System.Globalization.CultureInfo.InvariantCulture)}-of-{count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return dot <= 0 ? path + suffix : path[..(path.Length - name.Length + dot)] + suffix + name[dot..];
    }

    /// <summary>The provenance of a run of <paramref name="chain"/> starting now.</summary>
    internal static Provenance NewProvenance(ChainFile file, Chain chain, int seed) => new()
    {
        ToolVersion = ToolVersion,
        ConfigPath = file.Path,
        ConfigText = file.Text,
        ConfigSha256 = file.Sha256,
        Seed = seed,
        InputFiles = ((IEventReader)chain.Reader.Instance).InputFiles,
        StartedUtc = DateTimeOffset.UtcNow,
    };

    /// <summary><c>out/calib.root</c> → <c>out/calib.cutflow.json</c>.</summary>
    public static string SidecarPath(string outputPath, string kind) =>
        Path.Combine(Path.GetDirectoryName(outputPath) ?? "", $"{Path.GetFileNameWithoutExtension(outputPath)}.{kind}.json");

    /// <summary>The cut flow as saved in <c>*.cutflow.json</c>.</summary>
    public static object CutFlowDocument(CutFlow cutFlow) => new
    {
        Steps = cutFlow.Steps.Select(s => new
        {
            s.Name,
            s.Kind,
            s.EventsIn,
            s.EventsOut,
            Objects = s.Objects.ToDictionary(o => o.Key, o => new { o.Value.In, o.Value.Out }),
            Cuts = s.Cuts.Select(c => new { c.Name, c.Collection, c.EventsIn, c.EventsOut, c.ObjectsIn, c.ObjectsOut }),
        }),
    };

    /// <summary>Writes JSON to a temporary name and renames it, so a reader never sees half a file.</summary>
    public static void WriteJsonAtomically(string path, object document)
    {
        string temporary = path + ".partial";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(temporary, JsonSerializer.Serialize(document, SidecarJson) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
