namespace EnergyRegression.Root;

/// <summary>
/// Values read from a branch over an entry range, flat and in native byte order.
/// Scalars: one value per entry. Fixed-size arrays: <see cref="Shape"/> values per entry, row-major.
/// Jagged (counter-sized arrays, std::vector, members of objects in collections): entry <c>i</c> holds items
/// <c>Offsets[i]</c> to <c>Offsets[i+1]</c>, each item being <see cref="Shape"/> values (one value when Shape
/// is empty). Nested lists (std::vector&lt;std::vector&gt;, a vector member of objects in a collection) have one
/// level of offsets per list in <see cref="NestedOffsets"/>: level <c>k</c> indexes items of level <c>k+1</c>, the
/// last level indexes items of <see cref="Values"/>.
/// </summary>
public sealed class RootArray
{
    private readonly long[][] _levels;

    internal RootArray(Type elementType, Array values, int[] shape, long[]? offsets, long[]? innerOffsets)
        : this(elementType, values, shape, offsets is null ? [] : innerOffsets is null ? [offsets] : [offsets, innerOffsets])
    {
    }

    internal RootArray(Type elementType, Array values, int[] shape, long[][] levels)
    {
        ElementType = elementType;
        Values = values;
        Shape = shape;
        _levels = levels;
    }

    /// <summary>The CLR type of a value: bool, sbyte, byte, short, ushort, int, uint, long, ulong, float, double or string.</summary>
    public Type ElementType { get; }

    /// <summary>All values, flat, native order; an array of <see cref="ElementType"/>.</summary>
    public Array Values { get; }

    /// <summary>Fixed dimensions per entry (per innermost item for jagged data); empty for scalars.</summary>
    public int[] Shape { get; }

    /// <summary>For jagged data, entries + 1 offsets (in items) into <see cref="Values"/> (or into the next level of <see cref="NestedOffsets"/>); null otherwise.</summary>
    public long[]? Offsets => _levels.Length > 0 ? _levels[0] : null;

    /// <summary>The second level of offsets (std::vector&lt;std::vector&gt;: in values); null with fewer than two levels.</summary>
    public long[]? InnerOffsets => _levels.Length > 1 ? _levels[1] : null;

    /// <summary>Every level of offsets, outermost first (empty for fixed-size data).</summary>
    public IReadOnlyList<long[]> NestedOffsets => _levels;

    /// <summary>Number of entries in the array.</summary>
    public long Entries => Offsets is not null ? Offsets.Length - 1 : Values.Length / Math.Max(1, Shape.Aggregate(1, (a, b) => a * b));

    /// <summary>The values as a typed array.</summary>
    public T[] As<T>() => (T[])Values;
}
