using System.Security.Cryptography;
using System.Text;
using EnergyRegression.Core.Yaml;

namespace EnergyRegression.Core.Configuration;

/// <summary>A chain file read from disk: its text, hash, YAML tree and top-level definition.</summary>
public sealed class ChainFile
{
    private ChainFile(string path, string text, YamlMapping root, ChainDefinition definition, ConfigBinder binder)
    {
        Path = path;
        Text = text;
        Root = root;
        Definition = definition;
        Binder = binder;
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>The file's text.</summary>
    public string Text { get; }

    /// <summary>Lower-case hex SHA-256 of the text.</summary>
    public string Sha256 { get; }

    /// <summary>The YAML tree.</summary>
    public YamlMapping Root { get; }

    /// <summary>The bound top level.</summary>
    public ChainDefinition Definition { get; }

    /// <summary>The binder for the plugins' <c>with:</c> sections (same file, same variables).</summary>
    public ConfigBinder Binder { get; }

    /// <summary>
    /// The chain's <c>plugins:</c> entries (after <c>${…}</c> expansion), each with its place in the file, so a location
    /// that does not exist, or a plugin it brings twice, is reported at its line.
    /// </summary>
    public IReadOnlyList<Plugins.PluginLocation> PluginLocations
    {
        get
        {
            YamlNode? node = Root.Find("plugins");
            IReadOnlyList<YamlNode> items = node is YamlSequence sequence ? sequence.Items : node is null ? [] : [node];
            return Definition.Plugins.Select((location, i) =>
            {
                YamlPosition at = i < items.Count ? items[i].Position : node?.Position ?? Root.Position;
                return new Plugins.PluginLocation(location, $"plugins[{i}]", $"{Path}:{at.Line}:{at.Column}");
            }).ToList();
        }
    }

    /// <summary>Reads and binds a chain file; every problem is a <see cref="ConfigurationException"/>.</summary>
    public static ChainFile Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException(path, 0, 0, $"cannot read the chain file: {e.Message}", e);
        }
        return Parse(text, path);
    }

    /// <summary>Parses chain text (for tests and for <c>--config-text</c>); <paramref name="path"/> names it in messages.</summary>
    public static ChainFile Parse(string text, string path)
    {
        YamlNode? root = YamlTreeReader.Parse(text, path);
        if (root is YamlScalar { IsNull: true })
        {
            root = null;
        }
        if (root is not YamlMapping mapping)
        {
            YamlPosition at = root?.Position ?? new YamlPosition(1, 1);
            throw new ConfigurationException(path, at.Line, at.Column,
                $"a chain file is a mapping with at least a 'reader:' key; found {root?.KindName ?? "an empty file"}");
        }
        string configDir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) ?? ".";
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["CONFIG_DIR"] = configDir };
        var binder = new ConfigBinder(path, variables);
        var definition = (ChainDefinition)binder.Bind(typeof(ChainDefinition), mapping, "the chain", mapping.Position);
        return new ChainFile(path, text, mapping, definition, binder);
    }
}
