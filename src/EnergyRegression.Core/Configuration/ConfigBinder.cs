using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using EnergyRegression.Configuration;
using EnergyRegression.Core.Yaml;
using EnergyRegression.Plugins;

namespace EnergyRegression.Core.Configuration;

/// <summary>
/// Binds a YAML mapping onto a config class: snake_case keys to public settable properties, unknown keys,
/// missing required keys and wrong types reported with file:line:column. String values may use
/// <c>${NAME}</c>: a variable of the chain (<c>CONFIG_DIR</c>) or an environment variable.
/// </summary>
public sealed partial class ConfigBinder(string file, IReadOnlyDictionary<string, string> variables)
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>The chain file the nodes come from.</summary>
    public string File { get; } = file;

    /// <summary>
    /// Creates <paramref name="type"/> and binds <paramref name="mapping"/> (null: no keys given) onto it;
    /// <paramref name="section"/> names the place for messages ("the 'with' of stages[1] (filter)").
    /// <paramref name="owner"/> is where to report a missing required key when the mapping is absent.
    /// </summary>
    public object Bind(Type type, YamlMapping? mapping, string section, YamlPosition owner)
    {
        object target = Activator.CreateInstance(type)
            ?? throw new InvalidOperationException($"Cannot create config {type}.");
        var properties = ConfigKey.BindableProperties(type).ToList();
        var byKey = properties.ToDictionary(ConfigKey.KeyOf, StringComparer.Ordinal);

        foreach ((YamlScalar key, YamlNode value) in mapping?.Entries ?? [])
        {
            if (!byKey.TryGetValue(key.Value, out PropertyInfo? property))
            {
                string known = byKey.Count == 0 ? "it takes no keys" : "known keys: " + string.Join(", ", byKey.Keys);
                throw Error(key.Position, $"unknown key '{key.Value}' in {section}{NameSuggestions.DidYouMean(key.Value, byKey.Keys)}; {known}");
            }
            object? converted = Convert(value, property.PropertyType, key.Value, IsNullable(property));
            property.SetValue(target, converted);
        }

        foreach (PropertyInfo property in properties.Where(ConfigKey.IsRequired))
        {
            string key = ConfigKey.KeyOf(property);
            if (mapping?.FindKey(key) is null)
            {
                throw Error(mapping?.Position ?? owner, $"missing required key '{key}' in {section}");
            }
        }

        if (target is PluginConfig config)
        {
            try
            {
                config.Validate();
            }
            catch (ConfigValueException e)
            {
                throw AtKey(mapping, owner, e.Key, e.Message, e);
            }
        }
        return target;
    }

    /// <summary>
    /// An error about <paramref name="keyPath"/> of <paramref name="mapping"/>, placed at the key's value: dotted for nested
    /// keys (<c>search.ranges</c>), with <c>[i]</c> for an item of a list (<c>columns[2]</c>).
    /// </summary>
    public ConfigurationException AtKey(YamlMapping? mapping, YamlPosition fallback, string keyPath, string message, Exception? inner = null)
    {
        // Keys may hold dots themselves (a category label "|η| < 0.8"): at each level the longest matching key wins.
        string[] parts = keyPath.Split('.');
        YamlNode? node = mapping;
        for (int i = 0; i < parts.Length && node is not null;)
        {
            int j = parts.Length;
            YamlNode? next = null;
            for (; j > i && next is null; j--)
            {
                string candidate = string.Join('.', parts[i..j]);
                Match indexed = IndexedKeyPattern().Match(candidate);
                next = (node as YamlMapping)?.Find(indexed.Success ? indexed.Groups["key"].Value : candidate);
                foreach (Capture index in indexed.Groups["index"].Captures)
                {
                    int k = int.Parse(index.Value, CultureInfo.InvariantCulture);
                    next = next is YamlSequence sequence ? (k < sequence.Items.Count ? sequence.Items[k] : null) : k == 0 ? next : null;
                }
            }
            node = next;
            i = j + 1;
        }
        string firstPart = keyPath.Split('.')[0];
        Match first = IndexedKeyPattern().Match(firstPart);
        string firstKey = first.Success ? first.Groups["key"].Value : firstPart;
        YamlPosition position = node?.Position ?? mapping?.FindKey(firstKey)?.Position ?? mapping?.Position ?? fallback;
        return new ConfigurationException(File, position.Line, position.Column, $"'{keyPath}': {message}", inner);
    }

    private ConfigurationException Error(YamlPosition at, string message) => new(File, at.Line, at.Column, message);

    private object? Convert(YamlNode node, Type type, string key, bool nullable)
    {
        if (type == typeof(YamlNode) || type == typeof(YamlMapping) && node is YamlMapping)
        {
            return node;
        }
        if (node is YamlScalar { IsNull: true })
        {
            if (nullable || Nullable.GetUnderlyingType(type) is not null)
            {
                return null;
            }
            throw Error(node.Position, $"'{key}' needs {Article(TypeNames.Describe(type))}, got nothing (null)");
        }
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (ListElementType(type) is { } elementType)
        {
            if (node is YamlMapping)
            {
                throw Error(node.Position, $"'{key}' needs a {TypeNames.Describe(type)}, got a mapping");
            }
            // A single value is accepted where a list is expected: `files: a.jsonl`.
            IReadOnlyList<YamlNode> items = node is YamlSequence sequence ? sequence.Items : [node];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(elementType))!;
            for (int i = 0; i < items.Count; i++)
            {
                list.Add(Convert(items[i], elementType, $"{key}[{i}]", nullable: false));
            }
            if (type.IsArray)
            {
                var array = Array.CreateInstance(elementType, list.Count);
                list.CopyTo(array, 0);
                return array;
            }
            return list;
        }
        if (DictionaryValueType(type) is { } valueType)
        {
            if (node is not YamlMapping map)
            {
                throw Error(node.Position, $"'{key}' needs a mapping of name to {TypeNames.Describe(valueType)}, got {node.KindName}");
            }
            var dictionary = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType))!;
            foreach ((YamlScalar entryKey, YamlNode entryValue) in map.Entries)
            {
                dictionary.Add(entryKey.Value, Convert(entryValue, valueType, $"{key}.{entryKey.Value}", nullable: false));
            }
            return dictionary;
        }
        if (IsScalarType(type))
        {
            if (node is not YamlScalar scalar)
            {
                throw Error(node.Position, $"'{key}' needs {Article(TypeNames.Describe(type))}, got {node.KindName}");
            }
            return ConvertScalar(scalar, type, key);
        }
        if (node is not YamlMapping nested)
        {
            throw Error(node.Position, $"'{key}' needs a mapping, got {node.KindName}");
        }
        return Bind(type, nested, $"'{key}'", nested.Position);
    }

    private object ConvertScalar(YamlScalar scalar, Type type, string key)
    {
        string text = scalar.Value;
        if (type == typeof(string))
        {
            return Expand(scalar);
        }
        if (type == typeof(bool))
        {
            return text.ToLowerInvariant() switch
            {
                "true" => true,
                "false" => false,
                _ => throw Error(scalar.Position, $"'{key}' needs true or false, got '{text}'"),
            };
        }
        if (type == typeof(int) || type == typeof(long))
        {
            if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                throw Error(scalar.Position, $"'{key}' needs an integer, got '{text}'");
            }
            if (type == typeof(int) && value is < int.MinValue or > int.MaxValue)
            {
                throw Error(scalar.Position, $"'{key}' is out of range: {text}");
            }
            return type == typeof(int) ? (object)(int)value : value;
        }
        if (type == typeof(double) || type == typeof(float))
        {
            double value = text switch
            {
                ".inf" or ".Inf" or "+.inf" => double.PositiveInfinity,
                "-.inf" or "-.Inf" => double.NegativeInfinity,
                ".nan" or ".NaN" => double.NaN,
                _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    ? v
                    : throw Error(scalar.Position, $"'{key}' needs a number, got '{text}'"),
            };
            if (type == typeof(float) && double.IsFinite(value) && Math.Abs(value) > float.MaxValue)
            {
                throw Error(scalar.Position, $"'{key}' is out of range for a 32-bit float: {text}");
            }
            return type == typeof(float) ? (object)(float)value : value;
        }
        if (type.IsEnum)
        {
            foreach (string name in Enum.GetNames(type))
            {
                if (Naming.ToSnakeCase(name) == text || name == text)
                {
                    return Enum.Parse(type, name);
                }
            }
            string[] allowed = Enum.GetNames(type).Select(Naming.ToSnakeCase).ToArray();
            throw Error(scalar.Position, $"'{key}' must be one of {string.Join(", ", allowed)}; got '{text}'{NameSuggestions.DidYouMean(text, allowed)}");
        }
        throw new NotSupportedException($"Config key '{key}' has unsupported type {type}.");
    }

    /// <summary>Replaces <c>${NAME}</c> by a chain variable or an environment variable; <c>$${</c> is a literal <c>${</c>.</summary>
    private string Expand(YamlScalar scalar)
    {
        string text = scalar.Value;
        if (!text.Contains("${", StringComparison.Ordinal))
        {
            return text;
        }
        return VariablePattern().Replace(text, match =>
        {
            if (match.Value.StartsWith("$$", StringComparison.Ordinal))
            {
                return match.Value[1..];
            }
            string name = match.Groups["name"].Value;
            string? value = variables.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                return value;
            }
            throw Error(scalar.Position, $"unknown variable '${{{name}}}': not a chain variable ({string.Join(", ", variables.Keys)}) nor set in the environment");
        });
    }

    [GeneratedRegex(@"\$?\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();

    // A key path part: a key and any number of list indices, e.g. columns[2].
    [GeneratedRegex(@"^(?<key>[^\[]*)(\[(?<index>\d+)\])*$")]
    private static partial Regex IndexedKeyPattern();

    private static bool IsScalarType(Type type) =>
        type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(decimal);

    private static bool IsNullable(PropertyInfo property) =>
        Nullability.Create(property).WriteState == NullabilityState.Nullable;

    private static string Article(string noun) => noun.StartsWith("one of", StringComparison.Ordinal) || noun.StartsWith("true", StringComparison.Ordinal)
        || noun == "text"
        ? noun
        : ("aeiou".Contains(noun[0], StringComparison.Ordinal) ? "an " : "a ") + noun;

    internal static Type? ListElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }
        if (type.IsGenericType && type != typeof(string))
        {
            Type definition = type.GetGenericTypeDefinition();
            if (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>)
                || definition == typeof(IEnumerable<>) || definition == typeof(IReadOnlyCollection<>))
            {
                return type.GetGenericArguments()[0];
            }
        }
        return null;
    }

    internal static Type? DictionaryValueType(Type type)
    {
        if (type.IsGenericType)
        {
            Type definition = type.GetGenericTypeDefinition();
            Type[] args = type.GetGenericArguments();
            if ((definition == typeof(Dictionary<,>) || definition == typeof(IReadOnlyDictionary<,>) || definition == typeof(IDictionary<,>))
                && args[0] == typeof(string))
            {
                return args[1];
            }
        }
        return null;
    }
}
