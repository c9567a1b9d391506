using System.Buffers;
using System.Runtime.InteropServices;

namespace EnergyRegression.Data;

/// <summary>
/// A named column of an <see cref="EventBatch"/>: one row per event or per object, each row a scalar
/// or a fixed-shape tensor (a 28×28 crystal window has <see cref="Shape"/> [28, 28]).
/// Values are stored row-major in one pooled array, so kernels see a whole column as one span.
/// </summary>
public abstract class Column : IDisposable
{
    private protected Column(string name, ColumnLevel level, string? collection, int[] shape, int rows)
    {
        Name = name;
        Level = level;
        Collection = collection;
        Shape = shape;
        Rows = rows;
        int size = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d, nameof(shape));
            size = checked(size * d);
        }
        RowSize = size;
    }

    /// <summary>Column name, <c>Collection_field</c> for object columns (NanoAOD convention).</summary>
    public string Name { get; }

    /// <summary>Event-level or object-level.</summary>
    public ColumnLevel Level { get; }

    /// <summary>The collection an object column belongs to; null for event columns.</summary>
    public string? Collection { get; }

    /// <summary>Shape of one row: empty for scalars, e.g. [28, 28] for a crystal window.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of values in one row (product of <see cref="Shape"/>, 1 for scalars).</summary>
    public int RowSize { get; }

    /// <summary>Number of rows: events for event columns, objects for object columns.</summary>
    public int Rows { get; private protected set; }

    /// <summary>The CLR element type (float, double, int, long, bool, ...).</summary>
    public abstract Type ElementType { get; }

    /// <summary>Keeps the rows whose mask entry is true, in order.</summary>
    internal abstract void Compact(ReadOnlySpan<bool> rowMask, int keptRows);

    /// <summary>Copies every value into <paramref name="destination"/>, a column of the same type and size.</summary>
    internal abstract void CopyValuesTo(Column destination);

    /// <summary>Reads one value as double, whatever the element type (for printing and generic code).</summary>
    public abstract double GetDouble(int index);

    /// <summary>Copies all values, converted to double, into <paramref name="destination"/> (length Rows × RowSize).</summary>
    public abstract void CopyTo(Span<double> destination);

    /// <summary>Sets all values from doubles (length Rows × RowSize), converting to the element type.</summary>
    public abstract void SetFrom(ReadOnlySpan<double> source);

    /// <summary>Returns the pooled storage.</summary>
    public abstract void Dispose();
}

/// <summary>A column of unmanaged values of type <typeparamref name="T"/>.</summary>
public sealed class Column<T> : Column where T : unmanaged
{
    private T[] _data;

    internal Column(string name, ColumnLevel level, string? collection, int[] shape, int rows)
        : base(name, level, collection, shape, rows)
    {
        int length = checked(rows * RowSize);
        _data = length == 0 ? [] : ArrayPool<T>.Shared.Rent(length);
        _data.AsSpan(0, length).Clear();
    }

    /// <inheritdoc />
    public override Type ElementType => typeof(T);

    /// <summary>All values, row-major: <c>Rows × RowSize</c> of them.</summary>
    public Span<T> Values
    {
        get
        {
            ObjectDisposedException.ThrowIf(_data is null, this);
            return _data.AsSpan(0, Rows * RowSize);
        }
    }

    /// <summary>The values of one row.</summary>
    public Span<T> Row(int row) => Values.Slice(row * RowSize, RowSize);

    /// <inheritdoc />
    public override double GetDouble(int index) => ScalarConvert.ToDouble(Values[index]);

    /// <inheritdoc />
    public override void CopyTo(Span<double> destination)
    {
        ReadOnlySpan<T> values = Values;
        if (destination.Length != values.Length)
        {
            throw new ArgumentException($"Destination has {destination.Length} values, column '{Name}' has {values.Length}.", nameof(destination));
        }
        if (typeof(T) == typeof(double))
        {
            MemoryMarshal.Cast<T, double>(values).CopyTo(destination);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            destination[i] = ScalarConvert.ToDouble(values[i]);
        }
    }

    /// <inheritdoc />
    public override void SetFrom(ReadOnlySpan<double> source)
    {
        Span<T> values = Values;
        if (source.Length != values.Length)
        {
            throw new ArgumentException($"Source has {source.Length} values, column '{Name}' has {values.Length}.", nameof(source));
        }
        if (typeof(T) == typeof(double))
        {
            source.CopyTo(MemoryMarshal.Cast<T, double>(values));
            return;
        }
        if (typeof(T) == typeof(float))
        {
            Span<float> floats = MemoryMarshal.Cast<T, float>(values);
            for (int i = 0; i < source.Length; i++)
            {
                floats[i] = (float)source[i];
            }
            return;
        }
        for (int i = 0; i < source.Length; i++)
        {
            values[i] = ScalarConvert.FromDouble<T>(source[i]);
        }
    }

    internal override void CopyValuesTo(Column destination) => Values.CopyTo(((Column<T>)destination).Values);

    internal override void Compact(ReadOnlySpan<bool> rowMask, int keptRows)
    {
        Span<T> values = Values;
        int width = RowSize;
        int write = 0;
        for (int row = 0; row < rowMask.Length; row++)
        {
            if (!rowMask[row])
            {
                continue;
            }
            if (write != row)
            {
                values.Slice(row * width, width).CopyTo(values.Slice(write * width, width));
            }
            write++;
        }
        Rows = keptRows;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        if (_data is { Length: > 0 })
        {
            ArrayPool<T>.Shared.Return(_data);
        }
        _data = null!;
    }
}
