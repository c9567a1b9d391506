using System.Reflection;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Plugins;
using EnergyRegression.Running;

namespace EnergyRegression.Core.Running;

/// <summary>
/// A chain ready to run: the reader, the stages and the writer, constructed from a chain file with their
/// configs bound. Disposing it disposes every plugin instance.
/// </summary>
public sealed class Chain : IDisposable
{
    private Chain(ChainFile file, ChainStep reader, IReadOnlyList<ChainStep> stages, ChainStep? writer)
    {
        File = file;
        Reader = reader;
        Stages = stages;
        Writer = writer;
    }

    /// <summary>The chain file.</summary>
    public ChainFile File { get; }

    /// <summary>The reader step (<see cref="IEventReader"/>).</summary>
    public ChainStep Reader { get; }

    /// <summary>The stages in order (<see cref="ISelection"/>, <see cref="IFeature"/>, <see cref="IRegressor"/>).</summary>
    public IReadOnlyList<ChainStep> Stages { get; }

    /// <summary>The writer step (<see cref="IEventWriter"/>), if the chain has one.</summary>
    public ChainStep? Writer { get; }

    /// <summary>Looks up every step's plugin, binds its config and constructs it.</summary>
    public static Chain Build(ChainFile file, PluginCatalog catalog, IRunContext context) => Build(file, catalog, context, null);

    /// <summary>
    /// Builds the chain with the <c>with:</c> of some stages (by index) replaced, e.g. another <c>model:</c> for
    /// <c>energyreg evaluate --models</c>.
    /// </summary>
    internal static Chain Build(ChainFile file, PluginCatalog catalog, IRunContext context, IReadOnlyDictionary<int, YamlMapping>? withOverrides,
        YamlMapping? writerWith = null)
    {
        ChainDefinition definition = file.Definition;
        var built = new List<ChainStep>();
        try
        {
            YamlMapping root = file.Root;
            ChainStep reader = Construct(file, catalog, context, definition.Reader, "reader",
                (YamlMapping)root.Find("reader")!, [PluginKind.Reader], built);
            IReadOnlyList<YamlNode> stageNodes = (root.Find("stages") as YamlSequence)?.Items ?? [];
            var stages = new List<ChainStep>();
            for (int i = 0; i < definition.Stages.Length; i++)
            {
                stages.Add(Construct(file, catalog, context, definition.Stages[i], $"stages[{i}]",
                    (YamlMapping)stageNodes[i], [PluginKind.Selection, PluginKind.Feature, PluginKind.Regressor], built,
                    withOverrides?.GetValueOrDefault(i)));
            }
            ChainStep? writer = definition.Writer is null ? null : Construct(file, catalog, context, definition.Writer, "writer",
                (YamlMapping)root.Find("writer")!, [PluginKind.Writer], built, writerWith);
            return new Chain(file, reader, stages, writer);
        }
        catch
        {
            built.ForEach(DisposeInstance);
            throw;
        }
    }

    private static ChainStep Construct(ChainFile file, PluginCatalog catalog, IRunContext context, StepDefinition step,
        string place, YamlMapping node, PluginKind[] kinds, List<ChainStep> built, YamlMapping? withOverride = null)
    {
        YamlNode typeNode = node.Find("type")!;
        PluginDescriptor plugin = kinds.Select(k => catalog.Find(k, step.Type)).FirstOrDefault(p => p is not null)
            ?? throw UnknownType(file, catalog, step.Type, place, typeNode.Position, kinds);

        YamlMapping? with = withOverride ?? node.Find("with") as YamlMapping;
        if (plugin.ConfigType is null && with is { Entries.Count: > 0 })
        {
            throw new ConfigurationException(file.Path, with.Position.Line, with.Position.Column,
                $"{plugin} takes no keys, but {place} has a 'with:' section");
        }
        object? config = plugin.ConfigType is null ? null
            : file.Binder.Bind(plugin.ConfigType, with, $"the 'with' of {place} ({step.Type})", node.Position);

        object[] arguments = plugin.Constructor.GetParameters()
            .Select(p => p.ParameterType == typeof(IRunContext) ? context : config!)
            .ToArray();
        string label = step.Name ?? step.Type;
        object instance;
        try
        {
            instance = plugin.Constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            var failed = new ChainStep(label, place, plugin, null!, with, node.Position, file.Binder);
            throw failed.Translate(e.InnerException, "to start");
        }
        var result = new ChainStep(label, place, plugin, instance, with, node.Position, file.Binder);
        built.Add(result);
        return result;
    }

    private static ConfigurationException UnknownType(ChainFile file, PluginCatalog catalog, string type, string place,
        YamlPosition at, PluginKind[] kinds)
    {
        string wanted = string.Join(" or ", kinds.Select(k => Naming.ToSnakeCase(k.ToString())));
        string[] known = kinds.SelectMany(catalog.NamesOf).ToArray();
        PluginDescriptor? otherKind = catalog.WithName(type).FirstOrDefault();
        string message = otherKind is not null
            ? $"'{type}' is a {Naming.ToSnakeCase(otherKind.Kind.ToString())} plugin; {place} needs a {wanted}"
            : $"unknown {wanted} type '{type}'{NameSuggestions.DidYouMean(type, known)}";
        message += $"; known: {(known.Length == 0 ? "(none)" : string.Join(", ", known))}";
        return new ConfigurationException(file.Path, at.Line, at.Column, message);
    }

    /// <summary>
    /// The reader and the first <paramref name="stageCount"/> stages, without writer: what runs before the regressor
    /// being trained. A view sharing this chain's instances: do not dispose it.
    /// </summary>
    internal Chain Prefix(int stageCount) => View(Stages.Take(stageCount));

    /// <summary>The reader and the given stages (in chain order), without writer; a view sharing this chain's instances.</summary>
    internal Chain View(IEnumerable<ChainStep> stages) => new(File, Reader, stages.ToList(), null);

    /// <summary>A copy of a stage's <c>with:</c> mapping with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    internal static YamlMapping WithKey(YamlMapping? with, YamlPosition position, string key, string value)
    {
        YamlPosition at = with?.Position ?? position;
        var entries = (with?.Entries ?? []).Where(e => e.Key.Value != key).ToList();
        entries.Add(new KeyValuePair<YamlScalar, YamlNode>(new YamlScalar(at, key, isPlain: true), new YamlScalar(at, value, isPlain: false)));
        return new YamlMapping(at, entries);
    }

    /// <summary>A chain of ready-made instances (classes carrying [Plugin]), for tests and embedding.</summary>
    internal static Chain FromInstances(IEventReader reader, IEnumerable<IStage> stages, IEventWriter? writer)
    {
        var file = ChainFile.Parse("reader: {type: embedded}", "(embedded chain)");
        ChainStep Step(object instance, string place) => new(
            instance.GetType().Name, place, PluginCatalog.Describe(instance.GetType(), instanceGiven: true), instance, null, new YamlPosition(1, 1), file.Binder);
        return new Chain(file, Step(reader, "reader"), stages.Select((s, i) => Step(s, $"stages[{i}]")).ToList(),
            writer is null ? null : Step(writer, "writer"));
    }

    /// <summary>Disposes every plugin instance that is disposable.</summary>
    public void Dispose()
    {
        DisposeInstance(Reader);
        foreach (ChainStep stage in Stages)
        {
            DisposeInstance(stage);
        }
        if (Writer is not null)
        {
            DisposeInstance(Writer);
        }
    }

    private static void DisposeInstance(ChainStep step)
    {
        if (step.Instance is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
