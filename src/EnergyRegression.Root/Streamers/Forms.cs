using System.Buffers.Binary;
using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Streamers;

/// <summary>
/// The shape of the values a streamed type produces, as awkward-array forms describe them (the model uproot's
/// arrays use): numbers and strings (<see cref="LeafForm"/>), variable-length lists (<see cref="ListForm"/>),
/// fixed-size arrays (<see cref="RegularForm"/>) and records of named fields (<see cref="RecordForm"/>).
/// A form is flattened into columns: one per leaf, named by the field path, with one level of offsets per list.
/// </summary>
internal abstract class Form
{
    public abstract Builder CreateBuilder();

    /// <summary>The columns of this form: field path (dot-joined, "" for the value itself), value type, list depth, fixed shape.</summary>
    public List<ColumnSpec> Columns()
    {
        var list = new List<ColumnSpec>();
        Collect(this, "", 0, [], list);
        return list;
    }

    private static void Collect(Form form, string path, int depth, List<int> shape, List<ColumnSpec> output)
    {
        switch (form)
        {
            case LeafForm leaf:
                output.Add(new ColumnSpec(path, leaf.Kind, depth, [.. shape]));
                break;
            case RegularForm regular when regular.IsShapeOnly:
                Collect(regular.Content, path, depth, [.. shape, regular.Size], output);
                break;
            case RegularForm regular:
                Collect(regular.Content, path, depth + 1, shape, output);
                break;
            case ListForm list:
                Collect(list.Content, path, depth + 1, [], output);
                break;
            case RecordForm record:
                foreach ((string name, Form field) in record.Fields)
                {
                    Collect(field, path.Length == 0 ? name : $"{path}.{name}", depth, shape, output);
                }
                break;
        }
    }
}

/// <summary>One column of a form: where it is, what it holds, how deep it is nested.</summary>
internal sealed record ColumnSpec(string Path, ValueKind Kind, int Depth, int[] Shape)
{
    /// <summary>"float32", "float32[3]", "float32[]", "string[][]": the value type, then one [] per list level, then the fixed shape.</summary>
    public string TypeName => Interpretation.NameOf(Kind) + string.Concat(Enumerable.Repeat("[]", Depth)) + string.Concat(Shape.Select(d => $"[{d}]"));
}

internal sealed class LeafForm(ValueKind kind) : Form
{
    public ValueKind Kind { get; } = kind;

    public override Builder CreateBuilder() => new LeafBuilder(Kind);
}

internal sealed class ListForm(Form content) : Form
{
    public Form Content { get; } = content;

    public override Builder CreateBuilder() => new ListBuilder(Content.CreateBuilder());
}

internal sealed class RegularForm(int size, Form content) : Form
{
    public int Size { get; } = size;

    public Form Content { get; } = content;

    /// <summary>Fixed dimensions straight over numbers become a column's shape; over anything else, a list level of constant size.</summary>
    public bool IsShapeOnly => Content is LeafForm || Content is RegularForm { IsShapeOnly: true };

    public override Builder CreateBuilder() => new RegularBuilder(Size, Content.CreateBuilder());
}

internal sealed class RecordForm(IReadOnlyList<(string Name, Form Form)> fields) : Form
{
    public IReadOnlyList<(string Name, Form Form)> Fields { get; } = fields;

    public int IndexOf(string name)
    {
        for (int i = 0; i < Fields.Count; i++)
        {
            if (Fields[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    public override Builder CreateBuilder() => new RecordBuilder([.. Fields.Select(f => f.Form.CreateBuilder())]);
}

/// <summary>Accumulates the values of one form while entries are read; <see cref="Columns"/> turns them into arrays.</summary>
internal abstract class Builder
{
    /// <summary>Appends <paramref name="n"/> default values (0, empty string, empty list): members a version of a class lacks, null pointers.</summary>
    public abstract void AppendDefault(int n);

    /// <summary>Number of items appended (for a leaf: values).</summary>
    public abstract long Count { get; }

    /// <summary>The columns of <paramref name="form"/> from this builder, in <see cref="Form.Columns"/> order.</summary>
    public List<ColumnData> Columns(Form form)
    {
        var output = new List<ColumnData>();
        Collect(form, this, [], output);
        return output;
    }

    private static void Collect(Form form, Builder builder, List<long[]> levels, List<ColumnData> output)
    {
        switch (form, builder)
        {
            case (LeafForm leaf, LeafBuilder b):
                output.Add(new ColumnData(leaf.Kind, [.. levels], b.ToArray()));
                break;
            case (RegularForm regular, RegularBuilder b) when regular.IsShapeOnly:
                Collect(regular.Content, b.Content, levels, output);
                break;
            case (RegularForm regular, RegularBuilder b):
                {
                    long outer = b.Content.Count / regular.Size;
                    long[] offsets = new long[outer + 1];
                    for (long i = 0; i <= outer; i++)
                    {
                        offsets[i] = i * regular.Size;
                    }
                    Collect(regular.Content, b.Content, [.. levels, offsets], output);
                    break;
                }
            case (ListForm list, ListBuilder b):
                Collect(list.Content, b.Content, [.. levels, b.Offsets()], output);
                break;
            case (RecordForm record, RecordBuilder b):
                for (int i = 0; i < record.Fields.Count; i++)
                {
                    Collect(record.Fields[i].Form, b.Fields[i], levels, output);
                }
                break;
            default:
                throw new InvalidOperationException($"form {form.GetType().Name} does not match builder {builder.GetType().Name}");
        }
    }
}

/// <summary>The values of one column: per list level the offsets into the next level (items; the last level into values / shape).</summary>
internal sealed record ColumnData(ValueKind Kind, long[][] Levels, Array Values);

/// <summary>Numbers kept as the big-endian bytes they were read as (converted once at the end), or strings.</summary>
internal sealed class LeafBuilder : Builder
{
    private readonly int _size;
    private byte[] _raw = new byte[64];
    private int _bytes;
    private readonly List<string>? _strings;

    public LeafBuilder(ValueKind kind)
    {
        Kind = kind;
        _size = Interpretation.SizeOf(kind);
        _strings = kind == ValueKind.String ? [] : null;
    }

    public ValueKind Kind { get; }

    /// <summary>Bytes of one stored value of this kind.</summary>
    public int ValueSize => _size;

    public override long Count => _strings?.Count ?? _bytes / _size;

    /// <summary>Room for <paramref name="bytes"/> more bytes, returned for the caller to fill.</summary>
    public Span<byte> Extend(int bytes)
    {
        if (_bytes + (long)bytes > Array.MaxLength)
        {
            throw new NotSupportedException($"unsupported: more than {Array.MaxLength} bytes of {Kind} values in one read; read a smaller entry range");
        }
        if (_bytes + bytes > _raw.Length)
        {
            Array.Resize(ref _raw, (int)Math.Min(Array.MaxLength, Math.Max(_raw.Length * 2L, _bytes + (long)bytes)));
        }
        Span<byte> s = _raw.AsSpan(_bytes, bytes);
        _bytes += bytes;
        return s;
    }

    public void AppendRaw(ReadOnlySpan<byte> bigEndian) => bigEndian.CopyTo(Extend(bigEndian.Length));

    public void AppendString(string s) => _strings!.Add(s);

    /// <summary>A decoded floating-point value (packed Double32_t / Float16_t), stored big-endian like the rest.</summary>
    public void AppendFloating(double v)
    {
        if (Kind == ValueKind.Float32)
        {
            BinaryPrimitives.WriteSingleBigEndian(Extend(4), (float)v);
        }
        else
        {
            BinaryPrimitives.WriteDoubleBigEndian(Extend(8), v);
        }
    }

    public override void AppendDefault(int n)
    {
        if (_strings is not null)
        {
            for (int i = 0; i < n; i++)
            {
                _strings.Add("");
            }
            return;
        }
        Extend(checked(n * _size)).Clear();
    }

    public Array ToArray() => _strings is not null ? _strings.ToArray() : BasketDecoder.Convert(Kind, _raw.AsSpan(0, _bytes).ToArray());
}

internal sealed class ListBuilder(Builder content) : Builder
{
    private long[] _offsets = new long[16];
    private int _count;

    public Builder Content { get; } = content;

    public override long Count => _count;

    /// <summary>Ends one list of <paramref name="items"/> items (appended to <see cref="Content"/> before).</summary>
    public void Close(long items)
    {
        if (_count + 2 > _offsets.Length)
        {
            Array.Resize(ref _offsets, _offsets.Length * 2);
        }
        _offsets[_count + 1] = _offsets[_count] + items;
        _count++;
    }

    public override void AppendDefault(int n)
    {
        for (int i = 0; i < n; i++)
        {
            Close(0);
        }
    }

    public long[] Offsets() => _offsets[..(_count + 1)];
}

internal sealed class RegularBuilder(int size, Builder content) : Builder
{
    public int Size { get; } = size;

    public Builder Content { get; } = content;

    public override long Count => Content.Count / Math.Max(1, Size);

    public override void AppendDefault(int n) => Content.AppendDefault(checked(n * Size));
}

internal sealed class RecordBuilder(Builder[] fields) : Builder
{
    public Builder[] Fields { get; } = fields;

    public override long Count => Fields.Length == 0 ? 0 : Fields[0].Count;

    public override void AppendDefault(int n)
    {
        foreach (Builder f in Fields)
        {
            f.AppendDefault(n);
        }
    }
}
