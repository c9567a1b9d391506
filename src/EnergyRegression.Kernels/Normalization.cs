using System.Numerics.Tensors;

namespace EnergyRegression.Kernels;

/// <summary>
/// Input normalisation for ML models, over rows of a flat buffer (a row is one window or one value):
/// division by the row's maximum or sum, log transform, standardisation, sin/cos. Each kernel streams
/// through TensorPrimitives (which picks Vector512/256/128 at run time) and has a scalar reference.
/// </summary>
public static class Normalization
{
    /// <summary>
    /// Divides each row of <paramref name="source"/> (rows of <paramref name="rowLength"/>) by its maximum. A
    /// row whose maximum is not positive (an empty window) is copied unchanged rather than blown up to ±∞.
    /// Equal to <see cref="DivideByMaxReference"/> exactly (a maximum and IEEE divisions).
    /// </summary>
    public static void DivideByMax(ReadOnlySpan<float> source, int rowLength, Span<float> destination)
    {
        CheckRows(source, rowLength, destination);
        for (int start = 0; start < source.Length; start += rowLength)
        {
            ReadOnlySpan<float> row = source.Slice(start, rowLength);
            DivideRow(row, TensorPrimitives.Max(row), destination.Slice(start, rowLength));
        }
    }

    /// <summary>The scalar reference of <see cref="DivideByMax"/>.</summary>
    public static void DivideByMaxReference(ReadOnlySpan<float> source, int rowLength, Span<float> destination)
    {
        CheckRows(source, rowLength, destination);
        for (int start = 0; start < source.Length; start += rowLength)
        {
            float max = float.NegativeInfinity;
            for (int i = 0; i < rowLength; i++)
            {
                max = Math.Max(max, source[start + i]);
            }
            DivideRowReference(source.Slice(start, rowLength), max, destination.Slice(start, rowLength));
        }
    }

    /// <summary>
    /// Divides each row by its sum (rows with a sum that is not positive are copied unchanged). The vector
    /// sum adds in float and in another order than <see cref="DivideBySumReference"/> (double): equal to a
    /// relative 1e-5 for windows of up to 32 × 32 showers (measured ≤ 1.1e-6 without hardware intrinsics).
    /// </summary>
    public static void DivideBySum(ReadOnlySpan<float> source, int rowLength, Span<float> destination)
    {
        CheckRows(source, rowLength, destination);
        for (int start = 0; start < source.Length; start += rowLength)
        {
            ReadOnlySpan<float> row = source.Slice(start, rowLength);
            DivideRow(row, TensorPrimitives.Sum(row), destination.Slice(start, rowLength));
        }
    }

    /// <summary>The scalar reference of <see cref="DivideBySum"/> (sum in double).</summary>
    public static void DivideBySumReference(ReadOnlySpan<float> source, int rowLength, Span<float> destination)
    {
        CheckRows(source, rowLength, destination);
        for (int start = 0; start < source.Length; start += rowLength)
        {
            double sum = 0;
            for (int i = 0; i < rowLength; i++)
            {
                sum += source[start + i];
            }
            DivideRowReference(source.Slice(start, rowLength), (float)sum, destination.Slice(start, rowLength));
        }
    }

    /// <summary>
    /// y = ln(max(x, 0) + offset): negative energies (noise) count as 0, so every output is finite for
    /// offset &gt; 0. Vector logarithms: equal to <see cref="LogReference"/> to a relative 1e-6.
    /// </summary>
    public static void Log(ReadOnlySpan<float> source, float offset, Span<float> destination)
    {
        CheckLog(source, offset, destination);
        TensorPrimitives.Max(source, 0f, destination);
        TensorPrimitives.Add(destination, offset, destination);
        TensorPrimitives.Log(destination, destination);
    }

    /// <summary>The scalar reference of <see cref="Log"/>.</summary>
    public static void LogReference(ReadOnlySpan<float> source, float offset, Span<float> destination)
    {
        CheckLog(source, offset, destination);
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)Math.Log(Math.Max(source[i], 0f) + offset);
        }
    }

    /// <summary>
    /// y = (x − mean) / std, element k of every row with mean[k] and std[k]; a single mean and std apply
    /// to every element. Equal to <see cref="StandardizeReference"/> exactly (the same two IEEE operations).
    /// </summary>
    public static void Standardize(ReadOnlySpan<float> source, ReadOnlySpan<float> means, ReadOnlySpan<float> stds, Span<float> destination)
    {
        CheckStandardize(source, means, stds, destination);
        if (means.Length == 1)
        {
            TensorPrimitives.Subtract(source, means[0], destination);
            TensorPrimitives.Divide(destination, stds[0], destination);
            return;
        }
        for (int start = 0; start < source.Length; start += means.Length)
        {
            Span<float> row = destination.Slice(start, means.Length);
            TensorPrimitives.Subtract(source.Slice(start, means.Length), means, row);
            TensorPrimitives.Divide(row, stds, row);
        }
    }

    /// <summary>The scalar reference of <see cref="Standardize"/>.</summary>
    public static void StandardizeReference(ReadOnlySpan<float> source, ReadOnlySpan<float> means, ReadOnlySpan<float> stds, Span<float> destination)
    {
        CheckStandardize(source, means, stds, destination);
        for (int i = 0; i < source.Length; i++)
        {
            int k = i % means.Length;
            destination[i] = (source[i] - means[k]) / stds[k];
        }
    }

    /// <summary>sin and cos of angles (φ, so a model sees −π and π as neighbours). Vector sin/cos: equal to the reference to 1e-6 absolute.</summary>
    public static void SinCos(ReadOnlySpan<float> angles, Span<float> sines, Span<float> cosines)
    {
        CheckSinCos(angles, sines, cosines);
        TensorPrimitives.SinCos(angles, sines, cosines);
    }

    /// <summary>The scalar reference of <see cref="SinCos"/> (in double).</summary>
    public static void SinCosReference(ReadOnlySpan<float> angles, Span<float> sines, Span<float> cosines)
    {
        CheckSinCos(angles, sines, cosines);
        for (int i = 0; i < angles.Length; i++)
        {
            sines[i] = (float)Math.Sin(angles[i]);
            cosines[i] = (float)Math.Cos(angles[i]);
        }
    }

    private static void DivideRow(ReadOnlySpan<float> row, float divisor, Span<float> destination)
    {
        if (divisor > 0)
        {
            TensorPrimitives.Divide(row, divisor, destination);
        }
        else
        {
            row.CopyTo(destination);
        }
    }

    private static void DivideRowReference(ReadOnlySpan<float> row, float divisor, Span<float> destination)
    {
        for (int i = 0; i < row.Length; i++)
        {
            destination[i] = divisor > 0 ? row[i] / divisor : row[i];
        }
    }

    private static void CheckRows(ReadOnlySpan<float> source, int rowLength, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        if (source.Length % rowLength != 0)
        {
            throw new ArgumentException($"{source.Length} values are not whole rows of {rowLength}", nameof(source));
        }
        CheckSameLength(source.Length, destination.Length);
    }

    private static void CheckLog(ReadOnlySpan<float> source, float offset, Span<float> destination)
    {
        if (!(offset > 0) || float.IsInfinity(offset))
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "the log offset must be a positive number");
        }
        CheckSameLength(source.Length, destination.Length);
    }

    private static void CheckStandardize(ReadOnlySpan<float> source, ReadOnlySpan<float> means, ReadOnlySpan<float> stds, Span<float> destination)
    {
        if (means.IsEmpty || means.Length != stds.Length)
        {
            throw new ArgumentException($"{means.Length} means and {stds.Length} standard deviations: give one of each per row element (or one of each)");
        }
        if (source.Length % means.Length != 0)
        {
            throw new ArgumentException($"{source.Length} values are not whole rows of {means.Length}", nameof(source));
        }
        foreach (float std in stds)
        {
            if (!(std > 0) || float.IsInfinity(std))
            {
                throw new ArgumentOutOfRangeException(nameof(stds), std, "standard deviations must be positive numbers");
            }
        }
        CheckSameLength(source.Length, destination.Length);
    }

    private static void CheckSinCos(ReadOnlySpan<float> angles, Span<float> sines, Span<float> cosines)
    {
        CheckSameLength(angles.Length, sines.Length);
        CheckSameLength(angles.Length, cosines.Length);
    }

    private static void CheckSameLength(int source, int destination)
    {
        if (source != destination)
        {
            throw new ArgumentException($"the destination has {destination} values for {source} inputs", nameof(destination));
        }
    }
}
