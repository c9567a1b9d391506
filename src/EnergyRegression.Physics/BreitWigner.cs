namespace EnergyRegression.Physics;

/// <summary>
/// The relativistic Breit-Wigner line shape of a resonance of mass M and width Γ, as a distribution
/// of the invariant mass m: f(m) ∝ 2m / ((m² − M²)² + M²Γ²), i.e. uniform in the angle
/// θ = atan((m² − M²)/(MΓ)). Truncated to [<see cref="Low"/>, <see cref="High"/>].
/// </summary>
public sealed class BreitWigner
{
    private readonly double _thetaLow;
    private readonly double _thetaHigh;

    /// <summary>A line shape restricted to masses in [low, high] GeV.</summary>
    public BreitWigner(double mass, double width, double low, double high)
    {
        if (!(mass > 0) || !(width > 0) || !(low >= 0) || !(high > low))
        {
            throw new ArgumentOutOfRangeException(nameof(mass), "Need mass > 0, width > 0 and 0 ≤ low < high.");
        }
        Mass = mass;
        Width = width;
        Low = low;
        High = high;
        _thetaLow = Theta(low);
        _thetaHigh = Theta(high);
    }

    /// <summary>The Z boson: M = 91.1876 GeV, Γ = 2.4952 GeV (PDG), in 50–130 GeV.</summary>
    public static BreitWigner ZBoson(double low = 50, double high = 130) => new(91.1876, 2.4952, low, high);

    /// <summary>Pole mass (GeV).</summary>
    public double Mass { get; }

    /// <summary>Width (GeV).</summary>
    public double Width { get; }

    /// <summary>Lowest mass generated.</summary>
    public double Low { get; }

    /// <summary>Highest mass generated.</summary>
    public double High { get; }

    private double Theta(double m) => Math.Atan((m * m - Mass * Mass) / (Mass * Width));

    /// <summary>The mass for a uniform number <paramref name="u"/> in [0, 1) (inverse of <see cref="Cdf"/>).</summary>
    public double Quantile(double u)
    {
        double theta = _thetaLow + u * (_thetaHigh - _thetaLow);
        return Math.Sqrt(Mass * Mass + Mass * Width * Math.Tan(theta));
    }

    /// <summary>Probability that a generated mass is below <paramref name="m"/>.</summary>
    public double Cdf(double m) =>
        m <= Low ? 0 : m >= High ? 1 : (Theta(m) - _thetaLow) / (_thetaHigh - _thetaLow);

    /// <summary>Normalised density at <paramref name="m"/>.</summary>
    public double Density(double m)
    {
        if (m < Low || m > High)
        {
            return 0;
        }
        double d = m * m - Mass * Mass;
        return 2 * m * Mass * Width / (d * d + Mass * Mass * Width * Width) / (_thetaHigh - _thetaLow);
    }
}
