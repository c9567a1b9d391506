using System.Text.Json;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// Parses one line (one event) with <see cref="Utf8JsonReader"/> into the schema's column buffers and
/// collection counts, checking keys, kinds, shapes and lengths against the schema. A bad line throws
/// <see cref="LineException"/> and leaves the buffers as they were before it.
/// </summary>
internal sealed class LineParser
{
    private readonly JsonSchema _schema;
    private readonly int[] _marks;
    private char[] _keyChars = new char[128];
    private long _lineId;
    private string _file = "";

    public LineParser(JsonSchema schema)
    {
        _schema = schema;
        _marks = new int[schema.Fields.Count];
        foreach (JsonField field in schema.Fields)
        {
            if (field.Kind != FieldKind.Count)
            {
                field.Buffer = ColumnBuffer.Create(field.ElementType);
            }
        }
    }

    /// <summary>Appends the event of <paramref name="line"/> (read from <paramref name="file"/>, for messages).</summary>
    public void Parse(ReadOnlySpan<byte> line, string file)
    {
        _lineId++;
        _file = file;
        for (int i = 0; i < _marks.Length; i++)
        {
            _marks[i] = _schema.Fields[i].Buffer?.Count ?? 0;
        }
        foreach (JsonCollection collection in _schema.Collections)
        {
            collection.CountSetBy = null;
            collection.DeclaredCount = -1;
        }
        try
        {
            ParseObject(line);
        }
        catch
        {
            for (int i = 0; i < _marks.Length; i++)
            {
                _schema.Fields[i].Buffer?.Truncate(_marks[i]);
            }
            throw;
        }
        foreach (JsonCollection collection in _schema.Collections)
        {
            collection.Counts.Add(collection.LineCount);
        }
    }

    private void ParseObject(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            ReadStartObject(ref reader);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                long keyColumn = reader.TokenStartIndex + 1;
                JsonField field = FindField(ref reader, keyColumn);
                reader.Read();
                switch (field.Kind)
                {
                    case FieldKind.EventScalar:
                        field.Buffer!.Append(ref reader, field);
                        break;
                    case FieldKind.EventTensor:
                        ReadTensor(ref reader, field, 0);
                        break;
                    case FieldKind.Object:
                        ReadObjects(ref reader, field);
                        break;
                    case FieldKind.Count:
                        ReadCount(ref reader, field);
                        break;
                }
            }
            long endColumn = reader.TokenStartIndex + 1;
            ReadEnd(ref reader);
            CheckComplete(endColumn);
        }
        catch (JsonException ex)
        {
            throw ToLineException(ex);
        }
    }

    private JsonField FindField(ref Utf8JsonReader reader, long keyColumn)
    {
        if (_keyChars.Length < reader.ValueSpan.Length)
        {
            _keyChars = new char[reader.ValueSpan.Length];
        }
        ReadOnlySpan<char> key = _keyChars.AsSpan(0, reader.CopyString(_keyChars));
        JsonField field = _schema.Find(key) ?? throw new LineException(keyColumn,
            $"Unexpected key '{key}': it is not on the first line ({_schema.Origin(_file)}); every line must have the same keys.");
        if (field.SeenOnLine == _lineId)
        {
            throw new LineException(keyColumn, $"Key '{field.Name}' appears twice.");
        }
        field.SeenOnLine = _lineId;
        return field;
    }

    private void CheckComplete(long endColumn)
    {
        foreach (JsonField field in _schema.Fields)
        {
            if (field.SeenOnLine != _lineId)
            {
                throw new LineException(endColumn, $"Missing key '{field.Name}' (every line must have the keys of {_schema.Origin(_file)}).");
            }
        }
        foreach (JsonCollection collection in _schema.Collections)
        {
            if (collection.DeclaredCount >= 0 && collection.DeclaredCount != collection.LineCount)
            {
                throw new LineException(collection.DeclaredCountColumn,
                    $"'n{collection.Name}' is {collection.DeclaredCount} but the {collection.Name} arrays have {collection.LineCount} values.");
            }
        }
    }

    /// <summary>A fixed-shape tensor row (current token: its StartArray), dimension <paramref name="dim"/> onwards.</summary>
    private static void ReadTensor(ref Utf8JsonReader reader, JsonField field, int dim)
    {
        int[] shape = field.Shape!;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonScalar.Unexpected(ref reader, field, $"an array of {shape[dim]} values (row shape {SchemaInference.Format(shape)})");
        }
        long start = reader.TokenStartIndex + 1;
        for (int i = 0; i < shape[dim]; i++)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                throw new LineException(start,
                    $"'{field.Name}': array has {i} values, expected {shape[dim]} (row shape {SchemaInference.Format(shape)}).");
            }
            if (dim == shape.Length - 1)
            {
                field.Buffer!.Append(ref reader, field);
            }
            else
            {
                ReadTensor(ref reader, field, dim + 1);
            }
        }
        reader.Read();
        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw new LineException(start,
                $"'{field.Name}': array has more than {shape[dim]} values (row shape {SchemaInference.Format(shape)}).");
        }
    }

    /// <summary>A collection column: an array with one scalar or tensor per object.</summary>
    private void ReadObjects(ref Utf8JsonReader reader, JsonField field)
    {
        JsonCollection collection = _schema.Collections[field.Collection];
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw JsonScalar.Unexpected(ref reader, field, $"an array (one value per {collection.Name} object)");
        }
        long start = reader.TokenStartIndex + 1;
        bool scalar = field.Shape!.Length == 0;
        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (scalar)
            {
                field.Buffer!.Append(ref reader, field);
            }
            else
            {
                ReadTensor(ref reader, field, 0);
            }
            count++;
        }
        if (collection.CountSetBy is null)
        {
            collection.CountSetBy = field;
            collection.LineCount = count;
        }
        else if (collection.LineCount != count)
        {
            throw new LineException(start,
                $"'{field.Name}' has {count} values but '{collection.CountSetBy.Name}' has {collection.LineCount}: " +
                $"all columns of collection {collection.Name} must have the same length in an event.");
        }
    }

    private void ReadCount(ref Utf8JsonReader reader, JsonField field)
    {
        JsonCollection collection = _schema.Collections[field.Collection];
        if (reader.TokenType != JsonTokenType.Number || !JsonScalar.IsIntegerLiteral(reader.ValueSpan)
            || !reader.TryGetInt64(out long count) || count < 0)
        {
            throw JsonScalar.Unexpected(ref reader, field, $"a non-negative integer (the number of {collection.Name} objects)");
        }
        collection.DeclaredCount = count;
        collection.DeclaredCountColumn = reader.TokenStartIndex + 1;
    }

    /// <summary>Reads the line's first token, which must open an object.</summary>
    public static void ReadStartObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new LineException(1, "Expected a JSON object (one event per line), found nothing.");
        }
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new LineException(reader.TokenStartIndex + 1,
                $"Expected a JSON object (one event per line), found {JsonScalar.Describe(ref reader)}.");
        }
    }

    /// <summary>Checks the object closed and nothing follows it on the line.</summary>
    public static void ReadEnd(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new LineException(reader.BytesConsumed + 1, "The line ends before the object is closed: expected '}'.");
        }
        if (reader.Read())
        {
            throw new LineException(reader.TokenStartIndex + 1, "Expected the end of the line after the object's '}'.");
        }
    }

    /// <summary>Turns a System.Text.Json syntax error into a line error at its byte position.</summary>
    public static LineException ToLineException(JsonException ex)
    {
        string message = ex.Message;
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }
        return new LineException((ex.BytePositionInLine ?? 0) + 1, "Invalid JSON: " + message);
    }
}
