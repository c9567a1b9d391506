using System.ComponentModel;
using System.Text.Json;
using EnergyRegression.Configuration;
using EnergyRegression.Data;
using EnergyRegression.Kernels;

namespace EnergyRegression.Plugins.Features;

/// <summary>How <see cref="NormalizePlugin"/> transforms a column.</summary>
public enum NormalizeMethod
{
    /// <summary>Each row (a window) divided by its maximum (YAML <c>divide_by_max</c>).</summary>
    DivideByMax,

    /// <summary>Each row divided by its sum (YAML <c>divide_by_sum</c>).</summary>
    DivideBySum,

    /// <summary>ln(max(x, 0) + offset) (YAML <c>log</c>).</summary>
    Log,

    /// <summary>(x − mean) / std (YAML <c>standardize</c>).</summary>
    Standardize,

    /// <summary>sin and cos of an angle, two columns (YAML <c>sincos</c>).</summary>
    Sincos,
}

/// <summary>Config of <see cref="NormalizePlugin"/>.</summary>
public sealed class NormalizeConfig : PluginConfig
{
    /// <summary>The column to transform.</summary>
    [Description("The column to transform: a scalar column (Electron_pt) or a tensor column (Electron_window28x28).")]
    public required string Column { get; set; }

    /// <summary>The transform.</summary>
    [Description("divide_by_max or divide_by_sum (per row, i.e. per window; rows whose max or sum is not positive are left as they are), log (ln(max(x, 0) + offset)), standardize ((x - mean) / std) or sincos (two columns, sin and cos).")]
    public required NormalizeMethod Method { get; set; }

    /// <summary>Offset of the log transform.</summary>
    [Description("log: the offset added before the logarithm (GeV for energies); must be positive.")]
    public double Offset { get; set; } = 1;

    /// <summary>Means for standardize.</summary>
    [Description("standardize: the mean, one value for all elements or one per element of a row (e.g. 784 for a 28 x 28 window).")]
    public double[]? Mean { get; set; }

    /// <summary>Standard deviations for standardize.</summary>
    [Description("standardize: the standard deviation, one value or one per row element, all positive.")]
    public double[]? Std { get; set; }

    /// <summary>A JSON file with the mean and std.</summary>
    [PathValue]
    [Description("standardize: a JSON file {\"mean\": [...], \"std\": [...]} (e.g. stored with a trained model) instead of mean and std.")]
    public string? Stats { get; set; }

    /// <summary>Name of the new column.</summary>
    [Description("Name of the new column. Default: <column>Norm; for sincos the two columns <output>Sin and <output>Cos with output defaulting to <column>.")]
    public string? Output { get; set; }

    /// <inheritdoc />
    public override void Validate()
    {
        if (Method == NormalizeMethod.Log && !(Offset > 0 && double.IsFinite(Offset)))
        {
            throw new ConfigValueException("offset", $"the log offset must be a positive number, not {Offset}");
        }
        if (Method != NormalizeMethod.Standardize)
        {
            if (Mean is not null || Std is not null || Stats is not null)
            {
                throw new ConfigValueException(Stats is not null ? "stats" : Mean is not null ? "mean" : "std", "mean, std and stats belong to method: standardize");
            }
            return;
        }
        if (Stats is not null && (Mean is not null || Std is not null))
        {
            throw new ConfigValueException("stats", "give either stats (a file) or mean and std, not both");
        }
        if (Stats is null)
        {
            if (Mean is null || Std is null)
            {
                throw new ConfigValueException(Mean is null ? "mean" : "std", "standardize needs mean and std (or a stats file)");
            }
            CheckMoments(Mean, Std, "mean", "std");
        }
    }

    /// <summary>Checks a mean/std pair: same non-zero length, finite means, positive finite stds; errors name <paramref name="meanKey"/>/<paramref name="stdKey"/>.</summary>
    internal static void CheckMoments(double[] mean, double[] std, string meanKey, string stdKey)
    {
        if (mean.Length == 0 || mean.Length != std.Length)
        {
            throw new ConfigValueException(stdKey, $"{mean.Length} means and {std.Length} standard deviations: give the same number (one, or one per row element)");
        }
        foreach (double m in mean)
        {
            if (!double.IsFinite(m))
            {
                throw new ConfigValueException(meanKey, $"means must be finite, not {m}");
            }
        }
        foreach (double s in std)
        {
            if (!(s > 0 && double.IsFinite(s)))
            {
                throw new ConfigValueException(stdKey, $"standard deviations must be positive and finite, not {s}");
            }
        }
    }
}

/// <summary>
/// Normalises a column for an ML model's input: per-window division by its maximum or sum, log transform,
/// standardisation by stored means and stds, or sin/cos of an angle. Kernels: <see cref="Normalization"/>.
/// </summary>
[Plugin("normalize", Description = "Normalises a column for ML inputs: divide_by_max, divide_by_sum, log, standardize (stored mean/std) or sincos.")]
public sealed class NormalizePlugin : IFeature
{
    private readonly NormalizeConfig _config;
    private readonly float[] _means = [];
    private readonly float[] _stds = [];

    /// <summary>Reads the stats file, if any, so a bad file stops the chain before any event.</summary>
    public NormalizePlugin(NormalizeConfig config)
    {
        _config = config;
        if (config.Method == NormalizeMethod.Standardize)
        {
            (double[] mean, double[] std) = config.Stats is null ? (config.Mean!, config.Std!) : ReadStats(config.Stats);
            _means = Array.ConvertAll(mean, m => (float)m);
            _stds = Array.ConvertAll(std, s => (float)s);
        }
    }

    /// <inheritdoc />
    public void Compute(EventBatch batch)
    {
        Column input = BatchColumns.Require(batch, _config.Column, "column");
        using var values = new FloatValues(input);
        if (_config.Method == NormalizeMethod.Sincos)
        {
            string prefix = _config.Output ?? _config.Column;
            BatchColumns.MakeRoom(batch, prefix + "Cos", overwrite: false, "output", "choose another output name");
            Column<float> sin = NewColumn(batch, prefix + "Sin", input);
            Column<float> cos = NewColumn(batch, prefix + "Cos", input);
            Normalization.SinCos(values.Span, sin.Values, cos.Values);
            return;
        }
        if (_config.Method is NormalizeMethod.DivideByMax or NormalizeMethod.DivideBySum && input.RowSize == 1)
        {
            throw new ConfigValueException("method",
                $"column '{input.Name}' holds one value per row, so dividing each row by its own max or sum would make every value 1; use standardize or log");
        }
        if (_config.Method == NormalizeMethod.Standardize && _means.Length != 1 && _means.Length != input.RowSize)
        {
            throw new ConfigValueException(_config.Stats is null ? "mean" : "stats",
                $"{_means.Length} means for column '{input.Name}' whose rows hold {input.RowSize} values; give one, or one per value");
        }
        Column<float> output = NewColumn(batch, _config.Output ?? _config.Column + "Norm", input);
        switch (_config.Method)
        {
            case NormalizeMethod.DivideByMax:
                Normalization.DivideByMax(values.Span, input.RowSize, output.Values);
                break;
            case NormalizeMethod.DivideBySum:
                Normalization.DivideBySum(values.Span, input.RowSize, output.Values);
                break;
            case NormalizeMethod.Log:
                Normalization.Log(values.Span, (float)_config.Offset, output.Values);
                break;
            default:
                Normalization.Standardize(values.Span, _means, _stds, output.Values);
                break;
        }
    }

    private static Column<float> NewColumn(EventBatch batch, string name, Column like)
    {
        BatchColumns.MakeRoom(batch, name, overwrite: false, "output", "choose another output name");
        return batch.AddColumnLike<float>(name, like);
    }

    private static (double[] Mean, double[] Std) ReadStats(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            double[] mean = ReadArray(document.RootElement, "mean", path);
            double[] std = ReadArray(document.RootElement, "std", path);
            NormalizeConfig.CheckMoments(mean, std, "stats", "stats");
            return (mean, std);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigValueException("stats", $"cannot read the stats file {path}: {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new ConfigValueException("stats", $"{path}: line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: not valid JSON: {e.Message}", e);
        }
    }

    private static double[] ReadArray(JsonElement root, string name, string path)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(name, out JsonElement array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new ConfigValueException("stats", $"{path}: needs an object with a \"{name}\" array of numbers");
        }
        return [.. array.EnumerateArray().Select((v, i) => v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : throw new ConfigValueException("stats", $"{path}: \"{name}\"[{i}] is {v.ValueKind}, not a number"))];
    }
}
