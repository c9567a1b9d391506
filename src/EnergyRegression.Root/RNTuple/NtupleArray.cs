namespace EnergyRegression.Root;

/// <summary>
/// The values of an RNTuple field over an entry range, shaped like the field: leaves hold flat typed arrays, collections
/// offsets into their content, records one array per member, variants a tag per element (the layout uproot and
/// Awkward Array use). <see cref="Length"/> is the number of elements: entries at the top, items further down.
/// </summary>
public abstract class NtupleArray
{
    /// <summary>Number of elements.</summary>
    public abstract long Length { get; }

    /// <summary>The concatenation of <paramref name="parts"/>, which are of one field (consecutive clusters of a read).</summary>
    internal static NtupleArray Concat(IReadOnlyList<NtupleArray> parts) => parts.Count == 1 ? parts[0] : parts[0] switch
    {
        NtupleLeafArray first => new NtupleLeafArray(ConcatArrays(first.ElementType, parts.Select(p => ((NtupleLeafArray)p).Values))),
        NtupleStringArray => new NtupleStringArray([.. parts.SelectMany(p => ((NtupleStringArray)p).Values)]),
        NtupleListArray => ConcatLists(parts.Cast<NtupleListArray>().ToList()),
        NtupleFixedArray first => new NtupleFixedArray(first.Size, Concat([.. parts.Select(p => ((NtupleFixedArray)p).Content)]), parts.Sum(p => p.Length)),
        NtupleRecordArray first => new NtupleRecordArray(first.Names,
            [.. Enumerable.Range(0, first.Names.Count).Select(k => Concat([.. parts.Select(p => ((NtupleRecordArray)p).Fields[k])]))],
            parts.Sum(p => p.Length)),
        NtupleVariantArray => ConcatVariants(parts.Cast<NtupleVariantArray>().ToList()),
        _ => throw new InvalidOperationException($"cannot concatenate {parts[0].GetType().Name}"),
    };

    private static Array ConcatArrays(Type type, IEnumerable<Array> arrays)
    {
        var list = arrays.ToList();
        var result = Array.CreateInstance(type, list.Sum(a => a.Length));
        int at = 0;
        foreach (Array a in list)
        {
            Array.Copy(a, 0, result, at, a.Length);
            at += a.Length;
        }
        return result;
    }

    private static NtupleListArray ConcatLists(List<NtupleListArray> parts)
    {
        var offsets = new long[parts.Sum(p => p.Length) + 1];
        int at = 0;
        long shift = 0;
        foreach (NtupleListArray p in parts)
        {
            for (int i = 1; i <= p.Length; i++)
            {
                offsets[++at] = p.Offsets[i] + shift;
            }
            shift += p.Offsets[^1];
        }
        return new NtupleListArray(offsets, Concat([.. parts.Select(p => p.Content)]));
    }

    private static NtupleVariantArray ConcatVariants(List<NtupleVariantArray> parts)
    {
        int alternatives = parts[0].Alternatives.Count;
        var tags = new List<byte>();
        var index = new List<long>();
        var shift = new long[alternatives];
        foreach (NtupleVariantArray p in parts)
        {
            for (int i = 0; i < p.Length; i++)
            {
                tags.Add(p.Tags[i]);
                index.Add(p.Tags[i] == 0 ? 0 : p.Index[i] + shift[p.Tags[i] - 1]);
            }
            for (int k = 0; k < alternatives; k++)
            {
                shift[k] += p.Alternatives[k].Length;
            }
        }
        return new NtupleVariantArray([.. tags], [.. index],
            [.. Enumerable.Range(0, alternatives).Select(k => Concat([.. parts.Select(p => p.Alternatives[k])]))]);
    }
}

/// <summary>Values of a fundamental-type field: bool, sbyte (C++ <c>char</c>, <c>std::int8_t</c>), byte, short, ushort, int, uint, long, ulong, float or double.</summary>
public sealed class NtupleLeafArray(Array values) : NtupleArray
{
    /// <summary>The values, one per element.</summary>
    public Array Values { get; } = values;

    /// <summary>The CLR type of a value.</summary>
    public Type ElementType => Values.GetType().GetElementType()!;

    /// <inheritdoc />
    public override long Length => Values.Length;
}

/// <summary>Values of a <c>std::string</c> field (UTF-8 decoded).</summary>
public sealed class NtupleStringArray(string[] values) : NtupleArray
{
    /// <summary>The strings, one per element.</summary>
    public string[] Values { get; } = values;

    /// <inheritdoc />
    public override long Length => Values.Length;
}

/// <summary>
/// Values of a collection (<c>std::vector</c>, <c>RVec</c>, sets, maps, <c>std::optional</c>, <c>std::unique_ptr</c>):
/// element <c>i</c> holds items <c>Offsets[i]</c> to <c>Offsets[i+1]</c> of <see cref="Content"/>.
/// </summary>
public sealed class NtupleListArray(long[] offsets, NtupleArray content) : NtupleArray
{
    /// <summary><see cref="Length"/> + 1 offsets into <see cref="Content"/>, from 0.</summary>
    public long[] Offsets { get; } = offsets;

    /// <summary>The items of all elements, one after the other.</summary>
    public NtupleArray Content { get; } = content;

    /// <inheritdoc />
    public override long Length => Offsets.Length - 1;
}

/// <summary>Values of a fixed-size array (<c>std::array&lt;T,N&gt;</c>, <c>T[N]</c>, <c>std::bitset&lt;N&gt;</c> as N bools): <see cref="Size"/> items per element.</summary>
public sealed class NtupleFixedArray(int size, NtupleArray content, long length) : NtupleArray
{
    /// <summary>Items per element.</summary>
    public int Size { get; } = size;

    /// <summary>The items, <see cref="Size"/> per element.</summary>
    public NtupleArray Content { get; } = content;

    /// <inheritdoc />
    public override long Length { get; } = length;
}

/// <summary>Values of a record (class, struct, <c>std::pair</c>, <c>std::tuple</c>): one array per member, base classes as members named <c>:_0</c>, <c>:_1</c>, ….</summary>
public sealed class NtupleRecordArray(IReadOnlyList<string> names, IReadOnlyList<NtupleArray> fields, long length) : NtupleArray
{
    /// <summary>The members' field names.</summary>
    public IReadOnlyList<string> Names { get; } = names;

    /// <summary>The members' values, in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<NtupleArray> Fields { get; } = fields;

    /// <inheritdoc />
    public override long Length { get; } = length;
}

/// <summary>Values of a <c>std::variant</c>: element <c>i</c> is item <c>Index[i]</c> of alternative <c>Tags[i] − 1</c>, or nothing when its tag is 0.</summary>
public sealed class NtupleVariantArray(byte[] tags, long[] index, IReadOnlyList<NtupleArray> alternatives) : NtupleArray
{
    /// <summary>Per element: 1 + the alternative held, or 0 for a variant holding nothing (valueless).</summary>
    public byte[] Tags { get; } = tags;

    /// <summary>Per element: the item of its alternative's array.</summary>
    public long[] Index { get; } = index;

    /// <summary>The values of each alternative that elements of this range hold.</summary>
    public IReadOnlyList<NtupleArray> Alternatives { get; } = alternatives;

    /// <inheritdoc />
    public override long Length => Tags.Length;
}
