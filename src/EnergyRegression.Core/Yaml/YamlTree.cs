namespace EnergyRegression.Core.Yaml;

/// <summary>A position in a YAML file, 1-based.</summary>
public readonly record struct YamlPosition(int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>
/// A YAML node with its position: the project's own small tree over YamlDotNet's parser events, so every
/// error can name file:line:column and duplicate keys are caught (YAML 1.2 forbids them).
/// </summary>
public abstract class YamlNode(YamlPosition position)
{
    /// <summary>Where the node starts.</summary>
    public YamlPosition Position { get; } = position;

    /// <summary>"a mapping", "a list", "a value" — for messages.</summary>
    public abstract string KindName { get; }
}

/// <summary>A scalar. <see cref="IsPlain"/> is false for quoted scalars, so <c>"null"</c> stays a string.</summary>
public sealed class YamlScalar(YamlPosition position, string value, bool isPlain) : YamlNode(position)
{
    /// <summary>The scalar text.</summary>
    public string Value { get; } = value;

    /// <summary>True for an unquoted scalar.</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary>True for <c>null</c>, <c>~</c> or nothing, unquoted.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    /// <inheritdoc />
    public override string KindName => "a value";
}

/// <summary>A sequence.</summary>
public sealed class YamlSequence(YamlPosition position, IReadOnlyList<YamlNode> items) : YamlNode(position)
{
    /// <summary>The items in order.</summary>
    public IReadOnlyList<YamlNode> Items { get; } = items;

    /// <inheritdoc />
    public override string KindName => "a list";
}

/// <summary>A mapping with string keys, in file order.</summary>
public sealed class YamlMapping(YamlPosition position, IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> entries) : YamlNode(position)
{
    /// <summary>Key and value nodes in file order.</summary>
    public IReadOnlyList<KeyValuePair<YamlScalar, YamlNode>> Entries { get; } = entries;

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public YamlNode? Find(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Value;

    /// <summary>The key node of <paramref name="key"/>, or null.</summary>
    public YamlScalar? FindKey(string key) => Entries.FirstOrDefault(e => e.Key.Value == key).Key;

    /// <inheritdoc />
    public override string KindName => "a mapping";
}
