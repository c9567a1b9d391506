using System.Buffers;
using EnergyRegression.Data;
using EnergyRegression.Kernels;

namespace EnergyRegression.Plugins.Features;

/// <summary>Column lookups for the kernel plugins: errors name the config key, values come as float spans.</summary>
internal static class BatchColumns
{
    /// <summary>The column, or a config error on <paramref name="key"/> that lists near names.</summary>
    public static Column Require(EventBatch batch, string name, string key) => batch.GetColumnNamedBy(key, name);

    /// <summary>Checks the collection exists, or a config error on <paramref name="key"/> that lists the collections.</summary>
    public static void RequireCollection(EventBatch batch, string name, string key) => batch.GetCollectionNamedBy(key, name);

    /// <summary>An object column of <paramref name="collection"/> with the row shape <paramref name="rank"/> dimensions long (0 for scalars).</summary>
    public static Column RequireObjectColumn(EventBatch batch, string name, string collection, int rank, string key)
    {
        Column column = Require(batch, name, key);
        if (column.Collection != collection)
        {
            throw new ConfigValueException(key, column.Collection is null
                ? $"column '{name}' has one value per event, not one per {collection} object"
                : $"column '{name}' belongs to collection {column.Collection}, not {collection}");
        }
        if (column.Shape.Count != rank)
        {
            string expected = rank == 0 ? "a scalar" : $"a {rank}-dimensional tensor";
            throw new ConfigValueException(key,
                $"column '{name}' holds {Describe(column)} per object; this needs {expected}");
        }
        return column;
    }

    /// <summary>The seed index of every window: its most energetic crystal, or its middle (row height/2, column width/2).</summary>
    public static void FindSeeds(ReadOnlySpan<float> windows, int height, int width, WindowCentre centre, Span<int> seeds)
    {
        if (centre == WindowCentre.Middle)
        {
            seeds.Fill(height / 2 * width + width / 2);
        }
        else
        {
            SeedFinder.IndexOfMax(windows, height * width, seeds);
        }
    }

    /// <summary>"a scalar" or "a 32 × 32 tensor".</summary>
    public static string Describe(Column column) =>
        column.Shape.Count == 0 ? "a scalar" : $"a {string.Join(" × ", column.Shape)} tensor";

    /// <summary>Refuses to overwrite a column unless asked to, then makes room for it.</summary>
    public static void MakeRoom(EventBatch batch, string name, bool overwrite, string key, string hint)
    {
        if (!batch.HasColumn(name))
        {
            return;
        }
        if (!overwrite)
        {
            throw new ConfigValueException(key, $"column '{name}' already exists in the batch; {hint}");
        }
        batch.RemoveColumn(name);
    }

}

/// <summary>The values of a column as floats: the column's own storage when it holds floats, else a pooled converted copy.</summary>
internal sealed class FloatValues : IDisposable
{
    private readonly float[]? _rented;
    private readonly Column _column;

    public FloatValues(Column column)
    {
        _column = column;
        if (column is not Column<float>)
        {
            int length = column.Rows * column.RowSize;
            double[] converted = ArrayPool<double>.Shared.Rent(length);
            column.CopyTo(converted.AsSpan(0, length));
            _rented = ArrayPool<float>.Shared.Rent(length);
            for (int i = 0; i < length; i++)
            {
                _rented[i] = (float)converted[i];
            }
            ArrayPool<double>.Shared.Return(converted);
        }
    }

    public ReadOnlySpan<float> Span => _column is Column<float> floats
        ? floats.Values
        : _rented.AsSpan(0, _column.Rows * _column.RowSize);

    public void Dispose()
    {
        if (_rented is not null)
        {
            ArrayPool<float>.Shared.Return(_rented);
        }
    }
}
