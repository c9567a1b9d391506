namespace EnergyRegression.Configuration;

/// <summary>
/// Base type of every plugin's config class. Public settable properties are config keys: a property
/// <c>OnError</c> is the YAML key <c>on_error</c> (or the name given by <see cref="ConfigKeyAttribute"/>).
/// Mark mandatory keys with the C# <c>required</c> modifier; document every key with
/// <see cref="System.ComponentModel.DescriptionAttribute"/>: the text appears in <c>energyreg plugins</c>
/// and in the generated YAML reference. Supported types: string, bool, int, long, float, double, enums,
/// arrays and lists of those, string-keyed dictionaries, and nested config classes.
/// </summary>
public abstract class PluginConfig
{
    /// <summary>Cross-key checks after binding; throw <see cref="Plugins.ConfigValueException"/> naming the key.</summary>
    public virtual void Validate()
    {
    }

    /// <summary>Checks a list of names (columns, branches): none empty, none twice; errors name <paramref name="key"/>.</summary>
    protected static void RequireDistinctNames(string key, IEnumerable<string>? names, string noun = "column")
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string name in names ?? [])
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new Plugins.ConfigValueException(key, $"A {noun} name is empty.");
            }
            if (!seen.Add(name))
            {
                throw new Plugins.ConfigValueException(key, $"{char.ToUpperInvariant(noun[0])}{noun[1..]} '{name}' is listed twice.");
            }
        }
    }
}

/// <summary>Overrides the YAML key of a config property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key) : Attribute
{
    /// <summary>The key as written in YAML.</summary>
    public string Key { get; } = key;
}

/// <summary>Marks a config value as a file path for documentation and for <c>${CONFIG_DIR}</c> hints.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PathValueAttribute : Attribute;
