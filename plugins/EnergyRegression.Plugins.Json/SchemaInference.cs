using System.Text.Json;
using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Decides the schema from the first non-empty line: the role of every key (event scalar, event tensor,
/// object column, collection count), row shapes, and element types (integer literals only → int64, other
/// numbers → float64, booleans → bool, unless the <c>types:</c> config says otherwise).
/// </summary>
internal static class SchemaInference
{
    /// <summary>What the leaves of a value were.</summary>
    [Flags]
    private enum Leaves
    {
        None = 0,
        Bool = 1,
        Integer = 2,      // integer literal that fits int64
        BigInteger = 4,   // integer literal that does not
        Float = 8,        // fraction/exponent, or "NaN"/"Infinity"/"-Infinity"
    }

    /// <summary>Infers the schema of <paramref name="line"/>; throws <see cref="LineException"/> when the line is not usable.</summary>
    public static JsonSchema Infer(ReadOnlySpan<byte> line, string file, long lineNumber, IReadOnlyDictionary<string, Type> declared)
    {
        var schema = new JsonSchema(file, lineNumber);
        var pending = new List<(string Name, long Column, bool IsCountCandidate, Leaves Leaves)>();
        var reader = new Utf8JsonReader(line);
        try
        {
            LineParser.ReadStartObject(ref reader);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                long keyColumn = reader.TokenStartIndex + 1;
                if (schema.Find(name) is not null || pending.Exists(p => p.Name == name))
                {
                    throw new LineException(keyColumn, $"Key '{name}' appears twice.");
                }
                reader.Read();
                long valueColumn = reader.TokenStartIndex + 1;
                Leaves leaves = Leaves.None;
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    // Scalars are classified at the end: "nElectron" is a count only if Electron is a collection.
                    _ = Inspect(ref reader, name, ref leaves);
                    pending.Add((name, valueColumn, true, leaves));
                    schema.Add(new JsonField(name, FieldKind.EventScalar, -1) { Shape = [] });
                    continue;
                }
                int underscore = name.IndexOf('_', StringComparison.Ordinal);
                if (underscore < 0)
                {
                    int[] shape = Inspect(ref reader, name, ref leaves);
                    if (shape[0] == 0)
                    {
                        throw new LineException(valueColumn, $"'{name}': an event-level tensor must not be empty.");
                    }
                    schema.Add(new JsonField(name, FieldKind.EventTensor, -1) { Shape = shape });
                    pending.Add((name, valueColumn, false, leaves));
                    continue;
                }
                if (underscore == 0)
                {
                    throw new LineException(keyColumn,
                        $"'{name}': an array under a key with '_' is a collection's column, and the collection name before the '_' is empty.");
                }
                string collection = name[..underscore];
                int index = schema.CollectionIndex(collection);
                if (index < 0)
                {
                    index = schema.Collections.Count;
                    schema.Collections.Add(new JsonCollection(collection));
                }
                int[]? rowShape = InspectObjects(ref reader, name, ref leaves);
                schema.Add(new JsonField(name, FieldKind.Object, index) { Shape = rowShape });
                pending.Add((name, valueColumn, false, leaves));
            }
            LineParser.ReadEnd(ref reader);
        }
        catch (JsonException ex)
        {
            throw LineParser.ToLineException(ex);
        }

        return Finish(schema, pending, declared);
    }

    private static JsonSchema Finish(JsonSchema schema, List<(string Name, long Column, bool IsCountCandidate, Leaves Leaves)> pending,
        IReadOnlyDictionary<string, Type> declared)
    {
        // Rebuild the field list now that the collections are known: nX scalars of a collection X are counts.
        var result = new JsonSchema(schema.File, schema.Line);
        result.Collections.AddRange(schema.Collections);
        foreach ((string name, long column, bool isCountCandidate, Leaves leaves) in pending)
        {
            JsonField field = schema.Find(name)!;
            int countOf = isCountCandidate && name.Length > 1 && name[0] == 'n' ? result.CollectionIndex(name[1..]) : -1;
            if (countOf >= 0)
            {
                if (leaves != Leaves.Integer)
                {
                    throw new LineException(column, $"'{name}': expected a non-negative integer (the number of {name[1..]} objects).");
                }
                result.Add(new JsonField(name, FieldKind.Count, countOf) { Shape = [] });
                continue;
            }
            var typed = new JsonField(name, field.Kind, field.Collection) { Shape = field.Shape };
            if (declared.TryGetValue(name, out Type? type))
            {
                typed.ElementType = type;
                typed.Declared = true;
            }
            else
            {
                typed.ElementType = TypeOf(name, column, leaves);
            }
            result.Add(typed);
        }
        return result;
    }

    private static Type TypeOf(string name, long column, Leaves leaves)
    {
        if ((leaves & Leaves.Bool) != 0)
        {
            return leaves == Leaves.Bool ? typeof(bool)
                : throw new LineException(column, $"'{name}': mixes booleans and numbers.");
        }
        if ((leaves & Leaves.Float) != 0 || leaves == Leaves.None)
        {
            return typeof(double); // an empty collection gives no evidence: float64
        }
        if ((leaves & Leaves.BigInteger) != 0)
        {
            throw new LineException(column,
                $"'{name}': an integer does not fit in int64; declare the column under the reader's types: (uint64 or float64).");
        }
        return typeof(long);
    }

    /// <summary>
    /// The objects of a collection column (current token: its StartArray): checks every object has the same
    /// row shape and returns it, or null when the array is empty (shape unknown yet).
    /// </summary>
    private static int[]? InspectObjects(ref Utf8JsonReader reader, string name, ref Leaves leaves)
    {
        int[]? shape = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long column = reader.TokenStartIndex + 1;
            int[] row = Inspect(ref reader, name, ref leaves);
            if (row.Contains(0))
            {
                throw new LineException(column, $"'{name}': a tensor must not contain empty arrays.");
            }
            if (shape is null)
            {
                shape = row;
            }
            else if (!shape.AsSpan().SequenceEqual(row))
            {
                throw new LineException(column, $"'{name}': object of shape {Format(row)} differs from the first object's {Format(shape)}.");
            }
        }
        return shape;
    }

    /// <summary>The shape of the value at the current token (empty for a scalar), checking arrays are rectangular.</summary>
    private static int[] Inspect(ref Utf8JsonReader reader, string name, ref Leaves leaves)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True or JsonTokenType.False:
                leaves |= Leaves.Bool;
                return [];
            case JsonTokenType.Number:
                leaves |= !JsonScalar.IsIntegerLiteral(reader.ValueSpan) ? Leaves.Float
                    : reader.TryGetInt64(out _) ? Leaves.Integer : Leaves.BigInteger;
                return [];
            case JsonTokenType.String when reader.ValueTextEquals("NaN"u8) || reader.ValueTextEquals("Infinity"u8) || reader.ValueTextEquals("-Infinity"u8):
                leaves |= Leaves.Float;
                return [];
            case JsonTokenType.StartArray:
                break;
            default:
                throw new LineException(reader.TokenStartIndex + 1,
                    $"'{name}': expected a number, true/false or an array, found {JsonScalar.Describe(ref reader)} " +
                    "(strings other than \"NaN\", \"Infinity\", \"-Infinity\", null and objects are not supported).");
        }
        int count = 0;
        int[]? inner = null; // shape of the first element
        long start = reader.TokenStartIndex + 1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            long column = reader.TokenStartIndex + 1;
            int[] element = Inspect(ref reader, name, ref leaves);
            if (inner is null)
            {
                inner = element;
            }
            else if (!inner.AsSpan().SequenceEqual(element))
            {
                throw new LineException(column, $"'{name}': nested arrays must be rectangular: {Format(element)} after {Format(inner)}.");
            }
            count++;
        }
        if (inner is null)
        {
            return [0]; // an empty array: rejected by the callers, tensor dimensions must be positive
        }
        if (inner.Contains(0))
        {
            throw new LineException(start, $"'{name}': a tensor must not contain empty arrays.");
        }
        return [count, .. inner];
    }

    /// <summary>The shape of the value at the current token (one object's row), for the shape lookahead.</summary>
    public static int[] RowShape(ref Utf8JsonReader reader, string name)
    {
        Leaves leaves = Leaves.None;
        return Inspect(ref reader, name, ref leaves);
    }

    /// <summary>A shape for messages: "[5, 5]", or "scalar".</summary>
    public static string Format(IReadOnlyList<int> shape) => shape.Count == 0 ? "scalar" : $"[{string.Join(", ", shape)}]";

    /// <summary>The element types of <paramref name="names"/> in <see cref="ScalarConvert.TypesByName"/> form.</summary>
    public static Dictionary<string, Type> ResolveTypes(IReadOnlyDictionary<string, string> names)
    {
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach ((string column, string type) in names)
        {
            types[column] = ScalarConvert.TypesByName[type];
        }
        return types;
    }
}
