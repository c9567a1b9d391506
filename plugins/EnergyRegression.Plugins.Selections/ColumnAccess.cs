using EnergyRegression.Data;
using EnergyRegression.Expressions;

namespace EnergyRegression.Plugins.Selections;

/// <summary>Reading configured columns and conditions, with errors that name the config key.</summary>
internal static class ColumnAccess
{
    /// <summary>A scalar column of <paramref name="collection"/> (null: an event-level column), converted to double.</summary>
    public static double[] Read(EventBatch batch, string name, string? collection, string key)
    {
        Column column = Find(batch, name, collection, key);
        double[] values = new double[column.Rows];
        column.CopyTo(values);
        return values;
    }

    /// <summary>The column, checked to be a scalar of the expected level and collection.</summary>
    public static Column Find(EventBatch batch, string name, string? collection, string key)
    {
        if (!batch.HasColumn(name))
        {
            string known = string.Join(", ", batch.ColumnNames.Where(c => collection is null || batch.GetColumn(c).Collection == collection));
            throw new ConfigValueException(key, $"no column '{name}' in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames)}; " +
                $"{(collection is null ? "columns" : $"columns of {collection}")}: {(known.Length == 0 ? "(none)" : known)}");
        }
        Column column = batch.GetColumn(name);
        if (column.Collection != collection)
        {
            string want = collection is null ? "an event-level column" : $"a column of collection '{collection}'";
            string have = column.Collection is null ? "an event-level column" : $"a column of collection '{column.Collection}'";
            throw new ConfigValueException(key, $"column '{name}' is {have}, not {want}");
        }
        if (column.RowSize != 1)
        {
            throw new ConfigValueException(key, $"column '{name}' holds tensors of shape [{string.Join(", ", column.Shape)}], not one number per row");
        }
        return column;
    }

    /// <summary>
    /// A condition per object of <paramref name="collection"/> (<paramref name="offsets"/>): a per-object result is
    /// taken as is, a per-event result applies to every object of the event.
    /// </summary>
    public static bool[] Condition(ConfigExpression expression, EventBatch batch, string collection, ReadOnlySpan<int> offsets, string key)
    {
        using ExpressionResult result = expression.Evaluate(batch);
        if (!result.IsCondition)
        {
            throw new ConfigValueException(key, $"\"{expression.Text}\" gives numbers, not a condition; compare it, e.g. \"{expression.Text} > 0\"");
        }
        ReadOnlySpan<double> values = result.Values;
        bool[] pass = new bool[offsets[^1]];
        if (result.Level == ColumnLevel.Event)
        {
            for (int e = 0; e + 1 < offsets.Length; e++)
            {
                pass.AsSpan(offsets[e], offsets[e + 1] - offsets[e]).Fill(values[e] != 0);
            }
            return pass;
        }
        if (result.Collection != collection)
        {
            throw new ConfigValueException(key, $"\"{expression.Text}\" is a condition on '{result.Collection}' objects, not on '{collection}'");
        }
        for (int i = 0; i < pass.Length; i++)
        {
            pass[i] = values[i] != 0;
        }
        return pass;
    }

    /// <summary>Adds a column like <paramref name="source"/> to <paramref name="collection"/> holding its rows <paramref name="rows"/>.</summary>
    public static void Gather(EventBatch batch, Column source, string name, string collection, ReadOnlySpan<int> rows)
    {
        Column target = batch.AddColumn(source.ElementType, name, collection, [.. source.Shape]);
        switch (source)
        {
            case Column<float> s: Copy(s, (Column<float>)target, rows); break;
            case Column<double> s: Copy(s, (Column<double>)target, rows); break;
            case Column<int> s: Copy(s, (Column<int>)target, rows); break;
            case Column<long> s: Copy(s, (Column<long>)target, rows); break;
            case Column<bool> s: Copy(s, (Column<bool>)target, rows); break;
            case Column<sbyte> s: Copy(s, (Column<sbyte>)target, rows); break;
            case Column<byte> s: Copy(s, (Column<byte>)target, rows); break;
            case Column<short> s: Copy(s, (Column<short>)target, rows); break;
            case Column<ushort> s: Copy(s, (Column<ushort>)target, rows); break;
            case Column<uint> s: Copy(s, (Column<uint>)target, rows); break;
            case Column<ulong> s: Copy(s, (Column<ulong>)target, rows); break;
            default: throw new NotSupportedException($"Column '{source.Name}' has an unsupported element type {source.ElementType}.");
        }
    }

    private static void Copy<T>(Column<T> source, Column<T> target, ReadOnlySpan<int> rows) where T : unmanaged
    {
        for (int k = 0; k < rows.Length; k++)
        {
            source.Row(rows[k]).CopyTo(target.Row(k));
        }
    }
}
