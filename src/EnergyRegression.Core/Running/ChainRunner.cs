using System.Reflection;
using System.Text.Json;
using EnergyRegression.Core.Configuration;
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

    /// <summary>The event-loop settings of <paramref name="definition"/> with these overrides applied.</summary>
    public EventLoopOptions LoopOptions(ChainDefinition definition) => new()
    {
        BatchSize = BatchSize ?? definition.BatchSize,
        Threads = Threads ?? (definition.Threads > 0 ? definition.Threads : Environment.ProcessorCount),
        MaxEvents = MaxEvents ?? definition.MaxEvents,
    };
}

/// <summary>What a run produced, for the final summary.</summary>
public sealed record RunSummary(EventLoopResult Loop, string? OutputPath, string? CutFlowPath, string? ProvenancePath);

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
        PluginCatalog catalog = new PluginLoader().LoadCatalog(file.Definition.Plugins);
        return (file, catalog);
    }

    /// <summary>
    /// Checks a chain without running it: YAML, plugin types, every config, plugin construction. With
    /// <see cref="RunMode.Train"/> the trainable regressor is built for training (its model need not exist yet).
    /// </summary>
    public void Validate(string chainPath, RunMode mode = RunMode.Apply)
    {
        (ChainFile file, PluginCatalog catalog) = Load(chainPath);
        var context = new RunContext(log, progress, file.Definition.Seed, CancellationToken.None, mode);
        using var chain = Chain.Build(file, catalog, context);
        log.Info($"{chainPath}: valid chain '{file.Definition.Name}': reader {chain.Reader.Plugin.Name}, "
            + $"{chain.Stages.Count} stage(s), {(chain.Writer is null ? "no writer" : "writer " + chain.Writer.Plugin.Name)}");
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
        using var chain = Chain.Build(file, catalog, context);

        EventLoopOptions options = overrides.LoopOptions(definition);
        Provenance provenance = NewProvenance(file, chain, seed);

        var writer = chain.Writer?.Instance as IEventWriter;
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
        return new RunSummary(result, writer.OutputPath, cutFlowPath, provenancePath);
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
