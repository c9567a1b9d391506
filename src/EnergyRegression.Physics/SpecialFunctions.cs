namespace EnergyRegression.Physics;

/// <summary>Special functions needed by the physics code (own implementations of textbook algorithms).</summary>
public static class SpecialFunctions
{
    /// <summary>
    /// ln Γ(x) for x &gt; 0 by the Lanczos approximation (g = 7, n = 9 coefficients; relative error
    /// below 1e-13), with the reflection formula below ½. C. Lanczos, SIAM J. Numer. Anal. B1 (1964) 86.
    /// </summary>
    public static double LogGamma(double x)
    {
        if (x < 0.5)
        {
            // Γ(x)Γ(1−x) = π / sin(πx)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        x -= 1;
        double sum = LanczosCoefficients[0];
        for (int i = 1; i < LanczosCoefficients.Length; i++)
        {
            sum += LanczosCoefficients[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    private static readonly double[] LanczosCoefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7,
    ];

    /// <summary>
    /// The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a): the cumulative
    /// distribution of a Gamma(a, 1) variable. Power series for x &lt; a + 1, otherwise the continued
    /// fraction of Q = 1 − P evaluated by the modified Lentz method (Abramowitz &amp; Stegun 6.5.29, 6.5.31).
    /// </summary>
    public static double RegularizedLowerGamma(double a, double x) => IncompleteGamma(a, x).P;

    /// <summary>The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x), accurate where it is tiny.</summary>
    public static double RegularizedUpperGamma(double a, double x) => IncompleteGamma(a, x).Q;

    private static (double P, double Q) IncompleteGamma(double a, double x)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(a);
        if (double.IsNaN(x))
        {
            return (double.NaN, double.NaN);
        }
        if (x <= 0)
        {
            return (0, 1);
        }
        double logPrefactor = a * Math.Log(x) - x - LogGamma(a);
        if (x < a + 1)
        {
            // γ(a,x) = x^a e^−x Σ x^n / (a (a+1) … (a+n))
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < 500; n++)
            {
                term *= x / (a + n);
                sum += term;
                if (Math.Abs(term) < Math.Abs(sum) * 1e-15)
                {
                    break;
                }
            }
            double p = Math.Min(1, sum * Math.Exp(logPrefactor));
            return (p, 1 - p);
        }

        // Q(a,x) = x^a e^−x · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …)))
        const double Tiny = 1e-300;
        double b = x + 1 - a;
        double c = 1 / Tiny;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i < 500; i++)
        {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = b + an / c;
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < 1e-15)
            {
                break;
            }
        }
        double q = Math.Min(1, Math.Exp(logPrefactor) * h);
        return (1 - q, q);
    }

    /// <summary>The error function, erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, through P(½, x²); NaN for NaN.</summary>
    public static double Erf(double x) => double.IsNaN(x) ? double.NaN : Math.Sign(x) * RegularizedLowerGamma(0.5, x * x);

    /// <summary>
    /// The standard normal cumulative distribution Φ(x); in the lower tail through Q(½, x²/2)/2, so it keeps
    /// its relative precision down to Φ ≈ 1e-300 instead of cancelling in 1 + erf.
    /// </summary>
    public static double NormalCdf(double x) =>
        double.IsNaN(x) ? double.NaN : x < 0 ? 0.5 * RegularizedUpperGamma(0.5, x * x / 2) : 1 - 0.5 * RegularizedUpperGamma(0.5, x * x / 2);

    /// <summary>
    /// The standard normal quantile Φ⁻¹(p), 0 &lt; p &lt; 1: Acklam's rational approximation (relative
    /// error 1.2e-9) refined by one Halley step to full double precision.
    /// </summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), "p must lie strictly between 0 and 1.");
        }
        double x;
        if (p < 0.02425)
        {
            double q = Math.Sqrt(-2 * Math.Log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
                ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        else if (p <= 1 - 0.02425)
        {
            double q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
                (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
        }
        else
        {
            double q = Math.Sqrt(-2 * Math.Log(1 - p));
            x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
                ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
        }
        // Halley refinement: e = Φ(x) − p, u = e √(2π) e^(x²/2); in the upper half through the lower tail
        // of −x (Φ(x) − p = (1 − p) − Φ(−x) up to sign), so neither side cancels.
        if (Math.Abs(x) > 37)
        {
            return x; // e^(x²/2) overflows; the rational approximation is already at its limit here
        }
        double e = p < 0.5 ? NormalCdf(x) - p : (1 - p) - NormalCdf(-x);
        double u = e * Math.Sqrt(2 * Math.PI) * Math.Exp(x * x / 2);
        return x - u / (1 + x * u / 2);
    }

    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549671064739590e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
}
