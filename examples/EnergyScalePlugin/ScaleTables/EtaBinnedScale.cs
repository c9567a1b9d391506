namespace ScaleTables;

/// <summary>
/// Residual energy-scale factors in bins of |η|, the form in which e/γ groups publish scale corrections
/// for data (one factor per |η| bin, applied as E' = s(|η|) · E).
/// </summary>
public sealed class EtaBinnedScale
{
    private readonly double[] _edges;
    private readonly double[] _scales;

    /// <param name="edges">Increasing |η| bin edges, one more than <paramref name="scales"/>.</param>
    /// <param name="scales">Scale factor per bin.</param>
    public EtaBinnedScale(IReadOnlyList<double> edges, IReadOnlyList<double> scales)
    {
        if (edges.Count != scales.Count + 1)
        {
            throw new ArgumentException($"{edges.Count} edges need {edges.Count - 1} scales, got {scales.Count}.");
        }
        for (int i = 1; i < edges.Count; i++)
        {
            if (!(edges[i] > edges[i - 1]))
            {
                throw new ArgumentException($"bin edges must increase: {edges[i - 1]} then {edges[i]}.");
            }
        }
        _edges = [.. edges];
        _scales = [.. scales];
    }

    /// <summary>The factor for |η| = <paramref name="absEta"/>; 1 outside the binned range.</summary>
    public double ScaleAt(double absEta)
    {
        int bin = Array.BinarySearch(_edges, absEta);
        bin = bin >= 0 ? bin : ~bin - 1;
        return bin >= 0 && bin < _scales.Length ? _scales[bin] : 1.0;
    }
}
