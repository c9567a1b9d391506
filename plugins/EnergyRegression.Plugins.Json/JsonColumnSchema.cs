namespace EnergyRegression.Plugins.Json;

/// <summary>The role of a top-level key of a line.</summary>
internal enum FieldKind
{
    /// <summary>A number or boolean: an event-level scalar column.</summary>
    EventScalar,

    /// <summary>A nested array under a name without '_': an event-level fixed-shape tensor.</summary>
    EventTensor,

    /// <summary>An array under <c>Collection_field</c>: one scalar or tensor per object.</summary>
    Object,

    /// <summary><c>nCollection</c>: the object count of a collection, checked, not a column.</summary>
    Count,
}

/// <summary>One top-level key of the file's schema, decided from the first line, and its value buffer.</summary>
internal sealed class JsonField(string name, FieldKind kind, int collection)
{
    /// <summary>The key, also the column name.</summary>
    public string Name { get; } = name;

    public FieldKind Kind { get; } = kind;

    /// <summary>Index of the collection (object columns and counts), -1 for event columns.</summary>
    public int Collection { get; } = collection;

    /// <summary>Row shape: empty for scalars. Null while unknown (an empty collection on the first line).</summary>
    public int[]? Shape { get; set; }

    /// <summary>Element type (CLR), chosen from the first line or the <c>types:</c> config.</summary>
    public Type ElementType { get; set; } = typeof(double);

    /// <summary>True when <c>types:</c> set the element type.</summary>
    public bool Declared { get; set; }

    /// <summary>The values of the batch being built (null for counts).</summary>
    public ColumnBuffer? Buffer { get; set; }

    /// <summary>The line number (in the reader's running count) on which this key was last seen, to find missing and repeated keys.</summary>
    public long SeenOnLine { get; set; }
}

/// <summary>A jagged collection of the schema and its per-event counts for the batch being built.</summary>
internal sealed class JsonCollection(string name)
{
    public string Name { get; } = name;

    /// <summary>Per-event object counts of the batch being built.</summary>
    public List<int> Counts { get; } = [];

    /// <summary>The field whose array set the current line's count (for messages), or null when not yet seen on this line.</summary>
    public JsonField? CountSetBy { get; set; }

    /// <summary>The current line's object count (valid when <see cref="CountSetBy"/> is set).</summary>
    public int LineCount { get; set; }

    /// <summary>The current line's <c>nName</c> value and its column, or -1 when absent.</summary>
    public long DeclaredCount { get; set; } = -1;

    public long DeclaredCountColumn { get; set; }
}
