using System.Runtime.CompilerServices;
using System.Text.Json;
using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json;

/// <summary>
/// The values of one column for the batch being built: a growable array reused from batch to batch.
/// <see cref="Truncate"/> rolls back a line that turned out to be bad.
/// </summary>
internal abstract class ColumnBuffer
{
    /// <summary>Number of values held.</summary>
    public abstract int Count { get; }

    /// <summary>Drops the values after the first <paramref name="count"/> (rollback of a bad line).</summary>
    public abstract void Truncate(int count);

    /// <summary>Parses the current token of <paramref name="reader"/> as one value and appends it.</summary>
    public abstract void Append(ref Utf8JsonReader reader, JsonField field);

    /// <summary>Copies the values into a batch column of the same element type and empties the buffer.</summary>
    public abstract void MoveTo(Column column);

    /// <summary>A buffer for the element type of <paramref name="type"/>.</summary>
    public static ColumnBuffer Create(Type type) => type switch
    {
        _ when type == typeof(double) => new ColumnBuffer<double>(),
        _ when type == typeof(float) => new ColumnBuffer<float>(),
        _ when type == typeof(long) => new ColumnBuffer<long>(),
        _ when type == typeof(int) => new ColumnBuffer<int>(),
        _ when type == typeof(bool) => new ColumnBuffer<bool>(),
        _ when type == typeof(short) => new ColumnBuffer<short>(),
        _ when type == typeof(sbyte) => new ColumnBuffer<sbyte>(),
        _ when type == typeof(byte) => new ColumnBuffer<byte>(),
        _ when type == typeof(ushort) => new ColumnBuffer<ushort>(),
        _ when type == typeof(uint) => new ColumnBuffer<uint>(),
        _ when type == typeof(ulong) => new ColumnBuffer<ulong>(),
        _ => throw new NotSupportedException($"Unsupported column element type {type}."),
    };
}

/// <summary>A <see cref="ColumnBuffer"/> of <typeparamref name="T"/> values.</summary>
internal sealed class ColumnBuffer<T> : ColumnBuffer where T : unmanaged
{
    private T[] _values = new T[256];
    private int _count;

    public override int Count => _count;

    public override void Truncate(int count) => _count = count;

    public override void Append(ref Utf8JsonReader reader, JsonField field)
    {
        if (_count == _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }
        _values[_count++] = JsonScalar.Read<T>(ref reader, field);
    }

    public override void MoveTo(Column column)
    {
        _values.AsSpan(0, _count).CopyTo(((Column<T>)column).Values);
        _count = 0;
    }
}

/// <summary>Parsing of one JSON value as a column element type, with messages saying what was expected.</summary>
internal static class JsonScalar
{
    /// <summary>Reads the current token as <typeparamref name="T"/>; throws <see cref="LineException"/> otherwise.</summary>
    public static T Read<T>(ref Utf8JsonReader reader, JsonField field) where T : unmanaged
    {
        if (typeof(T) == typeof(double))
        {
            double value = ReadDouble(ref reader, field);
            return Unsafe.As<double, T>(ref value);
        }
        if (typeof(T) == typeof(float))
        {
            float value = ReadSingle(ref reader, field);
            return Unsafe.As<float, T>(ref value);
        }
        if (typeof(T) == typeof(bool))
        {
            bool value = reader.TokenType switch
            {
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                _ => throw Unexpected(ref reader, field, "true or false"),
            };
            return Unsafe.As<bool, T>(ref value);
        }
        RequireIntegerLiteral(ref reader, field);
        bool ok;
        T result = default;
        if (typeof(T) == typeof(long))
        {
            ok = reader.TryGetInt64(out Unsafe.As<T, long>(ref result));
        }
        else if (typeof(T) == typeof(int))
        {
            ok = reader.TryGetInt32(out Unsafe.As<T, int>(ref result));
        }
        else if (typeof(T) == typeof(short))
        {
            ok = reader.TryGetInt16(out Unsafe.As<T, short>(ref result));
        }
        else if (typeof(T) == typeof(sbyte))
        {
            ok = reader.TryGetSByte(out Unsafe.As<T, sbyte>(ref result));
        }
        else if (typeof(T) == typeof(byte))
        {
            ok = reader.TryGetByte(out Unsafe.As<T, byte>(ref result));
        }
        else if (typeof(T) == typeof(ushort))
        {
            ok = reader.TryGetUInt16(out Unsafe.As<T, ushort>(ref result));
        }
        else if (typeof(T) == typeof(uint))
        {
            ok = reader.TryGetUInt32(out Unsafe.As<T, uint>(ref result));
        }
        else if (typeof(T) == typeof(ulong))
        {
            ok = reader.TryGetUInt64(out Unsafe.As<T, ulong>(ref result));
        }
        else
        {
            throw new NotSupportedException($"Unsupported column element type {typeof(T)}.");
        }
        if (!ok)
        {
            throw new LineException(reader.TokenStartIndex + 1,
                $"'{field.Name}': {Text(ref reader)} does not fit in {ScalarConvert.NameOf(typeof(T))}.");
        }
        return result;
    }

    /// <summary>True when the current token is a number written without fraction or exponent.</summary>
    public static bool IsIntegerLiteral(ReadOnlySpan<byte> number) => number.IndexOfAny(".eE"u8) < 0;

    private static void RequireIntegerLiteral(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw Unexpected(ref reader, field, "an integer");
        }
        if (!IsIntegerLiteral(reader.ValueSpan))
        {
            string type = ScalarConvert.NameOf(field.ElementType);
            string origin = field.Declared ? "declared under types:" : "inferred from the first line, where its values are integers";
            throw new LineException(reader.TokenStartIndex + 1,
                $"'{field.Name}': expected an integer, found {Text(ref reader)}. The column is {type} ({origin}); " +
                $"declare it as a float under the reader's types: (e.g. types: {{{field.Name}: float64}}).");
        }
    }

    private static double ReadDouble(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetDouble(out double value) ? value
                : throw new LineException(reader.TokenStartIndex + 1, $"'{field.Name}': {Text(ref reader)} is out of the float64 range.");
        }
        return ReadNonFinite(ref reader, field);
    }

    private static float ReadSingle(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetSingle(out float value) ? value
                : throw new LineException(reader.TokenStartIndex + 1, $"'{field.Name}': {Text(ref reader)} is out of the float32 range.");
        }
        return (float)ReadNonFinite(ref reader, field);
    }

    /// <summary>NaN and infinities are not JSON numbers: they are written as the strings "NaN", "Infinity", "-Infinity".</summary>
    private static double ReadNonFinite(ref Utf8JsonReader reader, JsonField field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("NaN"u8))
            {
                return double.NaN;
            }
            if (reader.ValueTextEquals("Infinity"u8))
            {
                return double.PositiveInfinity;
            }
            if (reader.ValueTextEquals("-Infinity"u8))
            {
                return double.NegativeInfinity;
            }
        }
        throw Unexpected(ref reader, field, "a number (or \"NaN\", \"Infinity\", \"-Infinity\")");
    }

    /// <summary>An error for a token of the wrong kind.</summary>
    public static LineException Unexpected(ref Utf8JsonReader reader, JsonField field, string expected) =>
        new(reader.TokenStartIndex + 1, $"'{field.Name}': expected {expected}, found {Describe(ref reader)}.");

    /// <summary>The current token for a message: its text for values, its kind for structure.</summary>
    public static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.EndArray => "the end of the array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.EndObject => "the end of the object",
        JsonTokenType.Null => "null",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.String => $"the string \"{Clip(reader.GetString() ?? "")}\"",
        _ => Text(ref reader),
    };

    private static string Text(ref Utf8JsonReader reader) => Clip(System.Text.Encoding.UTF8.GetString(reader.ValueSpan));

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
