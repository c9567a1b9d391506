namespace EnergyRegression.Plugins.Json;

/// <summary>
/// The columns and collections of the input, decided from its first non-empty line: every later line
/// must have the same keys, with values of the same kinds and shapes.
/// </summary>
internal sealed class JsonSchema
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public JsonSchema(string file, long line)
    {
        File = file;
        Line = line;
        _lookup = _index.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The file and line the schema was taken from (for messages).</summary>
    public string File { get; }

    public long Line { get; }

    /// <summary>Top-level keys in first-line order.</summary>
    public List<JsonField> Fields { get; } = [];

    /// <summary>Collections in order of first appearance.</summary>
    public List<JsonCollection> Collections { get; } = [];

    /// <summary>Where the schema came from, for messages: "line 1" or "line 3 of a.jsonl".</summary>
    public string Origin(string currentFile) => currentFile == File ? $"line {Line}" : $"line {Line} of {File}";

    public void Add(JsonField field)
    {
        _index.Add(field.Name, Fields.Count);
        Fields.Add(field);
    }

    public JsonField? Find(string name) => _index.TryGetValue(name, out int i) ? Fields[i] : null;

    public JsonField? Find(ReadOnlySpan<char> name) => _lookup.TryGetValue(name, out int i) ? Fields[i] : null;

    public int CollectionIndex(string name) => Collections.FindIndex(c => c.Name == name);
}
