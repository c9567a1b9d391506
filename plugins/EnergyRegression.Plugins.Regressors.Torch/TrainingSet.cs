using System.Globalization;
using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Regressors.Torch;

/// <summary>What the network predicts and from which columns (stored in the model).</summary>
internal sealed record TargetSpec
{
    public required TargetKind Kind { get; init; }
    public double Scale { get; init; } = 100;
    public string? Truth { get; init; }
    public string? Raw { get; init; }

    public static TargetSpec From(TargetConfig config) => new() { Kind = config.Kind, Scale = config.Scale, Truth = config.Truth, Raw = config.Raw };

    /// <summary>The target's definition in words, for the model card.</summary>
    public string Definition => Kind == TargetKind.Energy
        ? string.Create(CultureInfo.InvariantCulture, $"y = E_true / {Scale:G} GeV; E_calib = ŷ · {Scale:G} GeV")
        : "y = E_true / E_raw; E_calib = ŷ · E_raw";

    /// <summary>y of one object; NaN when the object cannot be trained on (no positive truth or raw energy).</summary>
    public double Of(double truth, double raw) =>
        !(truth > 0) || !double.IsFinite(truth) ? double.NaN
        : Kind == TargetKind.Energy ? truth / Scale
        : raw > 0 && double.IsFinite(raw) ? truth / raw : double.NaN;

    /// <summary>The calibrated energy (GeV) of a prediction ŷ (or of a width σ in target units).</summary>
    public double Energy(double prediction, double raw) => Kind == TargetKind.Energy ? prediction * Scale : prediction * raw;
}

/// <summary>
/// The training or validation objects of a chain gathered once into flat arrays (rows × width, row-major), so that
/// epochs index tensors instead of re-reading batches: features, targets, raw energies and loss weights' sources.
/// Objects without a usable target (no truth, unmatched, non-positive) are left out.
/// </summary>
internal sealed class TrainingSet
{
    private TrainingSet(float[] features, float[] targets, float[] raw, long[] sources, int rows, int width, int dropped)
    {
        Features = features;
        Targets = targets;
        Raw = raw;
        Sources = sources;
        Rows = rows;
        Width = width;
        Dropped = dropped;
    }

    public float[] Features { get; }
    public float[] Targets { get; }
    public float[] Raw { get; }
    public long[] Sources { get; }
    public int Rows { get; }
    public int Width { get; }

    /// <summary>Objects left out for want of a target.</summary>
    public int Dropped { get; }

    public static TrainingSet Gather(IReadOnlyList<EventBatch> batches, InputLayout layout, TargetSpec target, string? source)
    {
        var features = new FeatureMatrix(layout.Collection, [.. layout.Names]);
        string truth = target.Truth ?? throw new ConfigValueException("target.truth", "training needs the truth column (target: truth:)");
        string[] extra = target.Raw is null ? [truth] : [truth, target.Raw];
        if (source is not null)
        {
            extra = [.. extra, source];
        }
        var extras = new FeatureMatrix(layout.Collection, extra);
        long total = 0;
        foreach (EventBatch batch in batches)
        {
            if (!batch.HasCollection(layout.Collection))
            {
                continue;
            }
            total += features.RowsOf(batch);
        }
        int width = layout.Width;
        if (total * width > Array.MaxLength)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{total:N0} objects × {width} inputs do not fit in one array: train on fewer events (--max-events)"));
        }
        int rows = (int)total;
        var x = new float[rows * width];
        var e = new float[rows * extra.Length];
        int row = 0;
        bool checkedColumns = false;
        foreach (EventBatch batch in batches)
        {
            if (!batch.HasCollection(layout.Collection))
            {
                continue;
            }
            if (!checkedColumns)
            {
                CheckExtras(batch, layout.Collection, target, source);
                features.Check(batch);
                extras.Check(batch);
                checkedColumns = true;
            }
            int n = features.RowsOf(batch);
            features.Gather(batch, x.AsSpan(row * width, n * width));
            extras.Gather(batch, e.AsSpan(row * extra.Length, n * extra.Length));
            row += n;
        }
        var targets = new float[rows];
        var raw = new float[rows];
        var sources = new long[rows];
        int kept = 0;
        for (int r = 0; r < rows; r++)
        {
            int k = r * extra.Length;
            double rawValue = target.Raw is null ? double.NaN : e[k + 1];
            double y = target.Of(e[k], rawValue);
            if (double.IsNaN(y))
            {
                continue;
            }
            if (kept != r)
            {
                Array.Copy(x, r * width, x, kept * width, width);
            }
            targets[kept] = (float)y;
            raw[kept] = (float)rawValue;
            sources[kept] = source is null ? 0 : (long)Math.Round(e[k + extra.Length - 1]);
            kept++;
        }
        return new TrainingSet(x, targets, raw, sources, kept, width, rows - kept);
    }

    private static void CheckExtras(EventBatch batch, string collection, TargetSpec target, string? source)
    {
        InputLayout.RequireColumn(batch, target.Truth!, collection, "target.truth");
        if (target.Raw is not null)
        {
            InputLayout.RequireColumn(batch, target.Raw, collection, "target.raw");
        }
        if (source is not null)
        {
            Column column = InputLayout.RequireColumn(batch, source, collection, "loss.source");
            if (column.RowSize != 1)
            {
                throw new ConfigValueException("loss.source", $"column '{source}' has shape {InputLayout.Shape([.. column.Shape])}; a source is one number per object or event");
            }
        }
        foreach ((string? name, string key) in new[] { (target.Truth, "target.truth"), (target.Raw, "target.raw") })
        {
            if (name is not null && batch.GetColumn(name).RowSize != 1)
            {
                throw new ConfigValueException(key, $"column '{name}' has shape {InputLayout.Shape([.. batch.GetColumn(name).Shape])}; an energy is one number per object");
            }
        }
    }

    /// <summary>
    /// Fits the normalisation on these rows: a column of one value to mean 0 and standard deviation 1; a tensor
    /// column (a window) divided by its mean sum over the rows, so a typical window sums to 1 and zeros stay zeros.
    /// </summary>
    public IReadOnlyList<InputColumn> FitNormalisation(IReadOnlyList<InputColumn> columns)
    {
        var fitted = new List<InputColumn>();
        int start = 0;
        foreach (InputColumn column in columns)
        {
            int size = column.Size;
            double sum = 0, sumSquares = 0;
            for (int r = 0; r < Rows; r++)
            {
                ReadOnlySpan<float> cell = Features.AsSpan(r * Width + start, size);
                double rowSum = 0;
                foreach (float v in cell)
                {
                    rowSum += v;
                }
                sum += rowSum;
                sumSquares += rowSum * rowSum;
            }
            double mean = Rows > 0 ? sum / Rows : 0;
            if (size == 1)
            {
                double variance = Rows > 1 ? Math.Max(0, (sumSquares - Rows * mean * mean) / (Rows - 1)) : 0;
                double std = Math.Sqrt(variance);
                fitted.Add(column with { Offset = mean, Scale = std > 0 && double.IsFinite(std) ? 1 / std : 1 });
            }
            else
            {
                fitted.Add(column with { Offset = 0, Scale = mean > 0 && double.IsFinite(mean) ? 1 / mean : 1 });
            }
            start += size;
        }
        return fitted;
    }
}
