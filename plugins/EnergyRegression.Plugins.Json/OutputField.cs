using System.Buffers;
using System.Text.Json;
using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json;

/// <summary>One key of every output line: a column, or the count of a collection. Bound to each batch in turn.</summary>
internal abstract class OutputField(string name)
{
    /// <summary>The key as written: <c>"name":</c> in UTF-8, escaped.</summary>
    public byte[] Key { get; } = [.. "\""u8, .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, .. "\":"u8];

    public string Name { get; } = name;

    /// <summary>Finds this field's column or collection in <paramref name="batch"/>.</summary>
    public abstract void Bind(EventBatch batch);

    /// <summary>Writes the value of event <paramref name="e"/> of the bound batch.</summary>
    public abstract void WriteValue(int e, IBufferWriter<byte> output);

    /// <summary>The field for a batch column.</summary>
    public static OutputField ForColumn(Column column) => column.ElementType switch
    {
        Type t when t == typeof(double) => new ColumnField<double>(column),
        Type t when t == typeof(float) => new ColumnField<float>(column),
        Type t when t == typeof(long) => new ColumnField<long>(column),
        Type t when t == typeof(int) => new ColumnField<int>(column),
        Type t when t == typeof(bool) => new ColumnField<bool>(column),
        Type t when t == typeof(short) => new ColumnField<short>(column),
        Type t when t == typeof(sbyte) => new ColumnField<sbyte>(column),
        Type t when t == typeof(byte) => new ColumnField<byte>(column),
        Type t when t == typeof(ushort) => new ColumnField<ushort>(column),
        Type t when t == typeof(uint) => new ColumnField<uint>(column),
        Type t when t == typeof(ulong) => new ColumnField<ulong>(column),
        _ => throw new NotSupportedException($"Column '{column.Name}': unsupported element type {column.ElementType}."),
    };
}

/// <summary><c>nElectron</c>: the number of objects of a collection in the event.</summary>
internal sealed class CountField(string collection) : OutputField("n" + collection)
{
    private ObjectCollection? _collection;

    public override void Bind(EventBatch batch) => _collection = batch.GetCollection(collection);

    public override void WriteValue(int e, IBufferWriter<byte> output) => JsonNumberFormat.Write(output, (long)_collection!.CountOf(e));
}

/// <summary>A column: event scalars as numbers, tensors as nested arrays, object columns as an array over the event's objects.</summary>
internal sealed class ColumnField<T>(Column template) : OutputField(template.Name) where T : unmanaged
{
    private readonly int[] _shape = [.. template.Shape];
    private readonly ColumnLevel _level = template.Level;
    private readonly string? _collectionName = template.Collection;
    private Column<T>? _column;
    private ObjectCollection? _collection;

    public override void Bind(EventBatch batch)
    {
        Column column = batch.GetColumn(Name);
        if (column is not Column<T> typed || column.Level != _level || column.Collection != _collectionName
            || !column.Shape.SequenceEqual(_shape))
        {
            throw new InvalidOperationException(
                $"Column '{Name}' changed between batches (type, level, collection or shape); a JSON Lines file needs the same columns on every line.");
        }
        _column = typed;
        _collection = _collectionName is null ? null : batch.GetCollection(_collectionName);
    }

    public override void WriteValue(int e, IBufferWriter<byte> output)
    {
        ReadOnlySpan<T> values = _column!.Values;
        int rowSize = _column.RowSize;
        if (_collection is null)
        {
            WriteRow(values.Slice(e * rowSize, rowSize), 0, output);
            return;
        }
        int first = _collection.Offsets[e];
        int count = _collection.CountOf(e);
        Append(output, "["u8);
        for (int i = 0; i < count; i++)
        {
            if (i > 0)
            {
                Append(output, ","u8);
            }
            WriteRow(values.Slice((first + i) * rowSize, rowSize), 0, output);
        }
        Append(output, "]"u8);
    }

    /// <summary>A scalar, or dimension <paramref name="dim"/> onwards of a row-major tensor as nested arrays.</summary>
    private void WriteRow(ReadOnlySpan<T> values, int dim, IBufferWriter<byte> output)
    {
        if (dim == _shape.Length)
        {
            JsonNumberFormat.Write(output, values[0]);
            return;
        }
        int stride = values.Length / _shape[dim];
        Append(output, "["u8);
        for (int i = 0; i < _shape[dim]; i++)
        {
            if (i > 0)
            {
                Append(output, ","u8);
            }
            WriteRow(values.Slice(i * stride, stride), dim + 1, output);
        }
        Append(output, "]"u8);
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> text) => output.Write(text);
}
