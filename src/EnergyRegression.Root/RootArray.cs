namespace EnergyRegression.Root;

/// <summary>
/// Values read from a branch over an entry range, flat and in native byte order.
/// Scalars: one value per entry. Fixed-size arrays: <see cref="Shape"/> values per entry, row-major.
/// Jagged (counter-sized arrays, std::vector): entry <c>i</c> holds items <c>Offsets[i]</c> to
/// <c>Offsets[i+1]</c>, each item being <see cref="Shape"/> values (one value when Shape is empty).
/// std::vector&lt;std::vector&gt;: <see cref="Offsets"/> index inner vectors, and inner vector <c>j</c>
/// holds values <c>InnerOffsets[j]</c> to <c>InnerOffsets[j+1]</c>.
/// </summary>
public sealed class RootArray
{
    internal RootArray(Type elementType, Array values, int[] shape, long[]? offsets, long[]? innerOffsets)
    {
        ElementType = elementType;
        Values = values;
        Shape = shape;
        Offsets = offsets;
        InnerOffsets = innerOffsets;
    }

    /// <summary>The CLR type of a value: bool, sbyte, byte, short, ushort, int, uint, long, ulong, float, double or string.</summary>
    public Type ElementType { get; }

    /// <summary>All values, flat, native order; an array of <see cref="ElementType"/>.</summary>
    public Array Values { get; }

    /// <summary>Fixed dimensions per entry (per item for jagged data); empty for scalars.</summary>
    public int[] Shape { get; }

    /// <summary>For jagged data, entries + 1 offsets (in items) into <see cref="Values"/> (or into <see cref="InnerOffsets"/>); null otherwise.</summary>
    public long[]? Offsets { get; }

    /// <summary>For std::vector&lt;std::vector&gt;, the second level of offsets (in values); null otherwise.</summary>
    public long[]? InnerOffsets { get; }

    /// <summary>Number of entries in the array.</summary>
    public long Entries => Offsets is not null ? Offsets.Length - 1 : Values.Length / Math.Max(1, Shape.Aggregate(1, (a, b) => a * b));

    /// <summary>The values as a typed array.</summary>
    public T[] As<T>() => (T[])Values;
}
