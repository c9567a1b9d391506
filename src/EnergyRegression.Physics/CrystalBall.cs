namespace EnergyRegression.Physics;

/// <summary>
/// Crystal Ball line shapes (Oreglia 1980, Gaiser 1982; the double-sided form as used in the CMS semi-parametric
/// energy regression, ../shared/PHYSICS.md): a Gaussian core in t = (x − μ)/σ joined continuously, with continuous
/// first derivative, to power-law tails e^(−α²/2) (1 − (α/n)(α ± t))^(−n) beyond −α₁ (low side) and α₂ (high side).
/// </summary>
public static class CrystalBall
{
    /// <summary>
    /// The unnormalised single-sided (low tail) Crystal Ball at <paramref name="x"/>: e^(−t²/2) for t ≥ −α,
    /// e^(−α²/2) (1 − (α/n)(α + t))^(−n) below. Peak value 1.
    /// </summary>
    public static double Shape(double x, double mean, double sigma, double alpha, double n)
    {
        double t = (x - mean) / sigma;
        return t >= -alpha ? Math.Exp(-t * t / 2) : Tail(-t, alpha, n);
    }

    /// <summary>The unnormalised double-sided Crystal Ball at <paramref name="x"/> (peak value 1).</summary>
    public static double DoubleSidedShape(double x, double mean, double sigma, double alphaLow, double nLow, double alphaHigh, double nHigh)
    {
        double t = (x - mean) / sigma;
        return t < -alphaLow ? Tail(-t, alphaLow, nLow) : t > alphaHigh ? Tail(t, alphaHigh, nHigh) : Math.Exp(-t * t / 2);
    }

    /// <summary>The tail e^(−α²/2) (1 − (α/n)(α − u))^(−n) at u = |t| ≥ α, through logarithms (large n).</summary>
    private static double Tail(double u, double alpha, double n) =>
        Math.Exp(-alpha * alpha / 2 - n * Math.Log(1 + alpha / n * (u - alpha)));

    /// <summary>
    /// The integral of <see cref="DoubleSidedShape"/> over t from −∞ to <paramref name="t"/> (in units of σ; multiply by
    /// σ for x): the tails integrate to (n/α) e^(−α²/2) (1 + (α/n)(|t| − α))^(1−n) / (n − 1), the core to √(2π) Φ.
    /// Needs n &gt; 1 on both sides.
    /// </summary>
    public static double DoubleSidedIntegral(double t, double alphaLow, double nLow, double alphaHigh, double nHigh)
    {
        double lowTail = TailIntegral(alphaLow, alphaLow, nLow);
        if (t <= -alphaLow)
        {
            return TailIntegral(-t, alphaLow, nLow);
        }
        double root2Pi = Math.Sqrt(2 * Math.PI);
        double core = root2Pi * (SpecialFunctions.NormalCdf(Math.Min(t, alphaHigh)) - SpecialFunctions.NormalCdf(-alphaLow));
        if (t <= alphaHigh)
        {
            return lowTail + core;
        }
        return lowTail + core + TailIntegral(alphaHigh, alphaHigh, nHigh) - TailIntegral(t, alphaHigh, nHigh);
    }

    /// <summary>∫ of the tail from u to ∞ (u ≥ α).</summary>
    private static double TailIntegral(double u, double alpha, double n) =>
        n / alpha * Math.Exp(-alpha * alpha / 2 - (n - 1) * Math.Log(1 + alpha / n * (u - alpha))) / (n - 1);

    /// <summary>The total integral of <see cref="DoubleSidedShape"/> over t (multiply by σ for x).</summary>
    public static double DoubleSidedNorm(double alphaLow, double nLow, double alphaHigh, double nHigh) =>
        TailIntegral(alphaLow, alphaLow, nLow) + TailIntegral(alphaHigh, alphaHigh, nHigh)
        + Math.Sqrt(2 * Math.PI) * (SpecialFunctions.NormalCdf(alphaHigh) - SpecialFunctions.NormalCdf(-alphaLow));

    /// <summary>The normalised double-sided Crystal Ball density at <paramref name="x"/>.</summary>
    public static double DoubleSidedDensity(double x, double mean, double sigma, double alphaLow, double nLow, double alphaHigh, double nHigh) =>
        DoubleSidedShape(x, mean, sigma, alphaLow, nLow, alphaHigh, nHigh) / (sigma * DoubleSidedNorm(alphaLow, nLow, alphaHigh, nHigh));
}
