using EnergyRegression.Models;
using EnergyRegression.Plugins;

namespace EnergyRegression.Data;

/// <summary>
/// Gathers a model's input columns from a batch into one row-major float matrix: one row per object of a
/// collection (or per event when no collection is given), the columns side by side, a tensor column
/// (a 28×28 window) contributing all its values. Event-level columns are repeated for every object of their
/// event, so <c>rho</c> or <c>Pileup_nPU</c> can sit beside <c>Electron_r9</c>. Used by regressors for
/// training and for batched inference.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly string[] _columns;
    private readonly int[] _widths;

    /// <summary>Describes the matrix built from <paramref name="columns"/> of <paramref name="collection"/>.</summary>
    public FeatureMatrix(string? collection, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("A feature matrix needs at least one column.", nameof(columns));
        }
        Collection = collection;
        _columns = [.. columns];
        _widths = new int[columns.Count];
    }

    /// <summary>The collection whose objects are the rows; null for one row per event.</summary>
    public string? Collection { get; }

    /// <summary>The input columns in matrix order.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Values per row (the sum of the columns' row sizes), known after <see cref="Check"/>.</summary>
    public int Width { get; private set; }

    /// <summary>
    /// Checks that the batch has every column at the right level and returns their shapes. A missing column is a
    /// <see cref="KeyNotFoundException"/> naming it with the closest existing name; a column of another
    /// collection is an <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlyList<ModelInput> Check(EventBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Collection is not null && !batch.HasCollection(Collection))
        {
            throw new KeyNotFoundException($"No collection '{Collection}' in the batch{NameSuggestions.DidYouMean(Collection, batch.CollectionNames)}.");
        }
        var shapes = new ModelInput[_columns.Length];
        int width = 0;
        for (int i = 0; i < _columns.Length; i++)
        {
            string name = _columns[i];
            if (!batch.HasColumn(name))
            {
                throw new KeyNotFoundException($"No column '{name}' in the batch{NameSuggestions.DidYouMean(name, batch.ColumnNames)}.");
            }
            Column column = batch.GetColumn(name);
            if (column.Level == ColumnLevel.Object && column.Collection != Collection)
            {
                throw new ArgumentException(Collection is null
                    ? $"Column '{name}' belongs to collection '{column.Collection}', but the model has one row per event."
                    : $"Column '{name}' belongs to collection '{column.Collection}', not '{Collection}'.");
            }
            _widths[i] = column.RowSize;
            width += column.RowSize;
            shapes[i] = new ModelInput(name, [.. column.Shape]);
        }
        Width = width;
        return shapes;
    }

    /// <summary>Rows the batch gives: objects of the collection, or events.</summary>
    public int RowsOf(EventBatch batch) => Collection is null ? batch.EventCount : batch.GetCollection(Collection).TotalCount;

    /// <summary>
    /// Fills <paramref name="destination"/> (at least rows × <see cref="Width"/> values) with the batch's features,
    /// converted to float. Call <see cref="Check"/> on a batch with the same columns first.
    /// </summary>
    public void Gather(EventBatch batch, Span<float> destination)
    {
        if (Width == 0)
        {
            Check(batch);
        }
        int rows = RowsOf(batch);
        if (destination.Length < rows * Width)
        {
            throw new ArgumentException($"Destination holds {destination.Length} values; {rows} rows × {Width} need more.", nameof(destination));
        }
        ReadOnlySpan<int> offsets = Collection is null ? default : batch.GetCollection(Collection).Offsets;
        int start = 0;
        for (int i = 0; i < _columns.Length; i++)
        {
            Column column = batch.GetColumn(_columns[i]);
            int size = _widths[i];
            bool broadcast = Collection is not null && column.Level == ColumnLevel.Event;
            if (column is Column<float> floats && !broadcast)
            {
                ReadOnlySpan<float> values = floats.Values;
                for (int row = 0; row < rows; row++)
                {
                    values.Slice(row * size, size).CopyTo(destination.Slice(row * Width + start, size));
                }
            }
            else
            {
                double[] values = new double[column.Rows * size];
                column.CopyTo(values);
                for (int row = 0; row < (broadcast ? batch.EventCount : rows); row++)
                {
                    int first = broadcast ? offsets[row] : row;
                    int last = broadcast ? offsets[row + 1] : row + 1;
                    for (int target = first; target < last; target++)
                    {
                        Span<float> cell = destination.Slice(target * Width + start, size);
                        for (int k = 0; k < size; k++)
                        {
                            cell[k] = (float)values[row * size + k];
                        }
                    }
                }
            }
            start += size;
        }
    }
}
