namespace EnergyRegression.Physics;

/// <summary>How a Z-peak fit uses the masses.</summary>
public enum FitMethod
{
    /// <summary>Poisson likelihood of the histogram counts in the window.</summary>
    Binned,

    /// <summary>Likelihood of every mass in the window.</summary>
    Unbinned,
}

/// <summary>Settings of a Z-peak fit.</summary>
public sealed record ZPeakFitOptions
{
    /// <summary>Lower edge of the fit window (GeV).</summary>
    public double Low { get; init; } = 70;

    /// <summary>Upper edge of the fit window (GeV).</summary>
    public double High { get; init; } = 110;

    /// <summary>Bins of the histogram (binned fit, fit quality and plots).</summary>
    public int Bins { get; init; } = 80;

    /// <summary>Binned or unbinned likelihood.</summary>
    public FitMethod Method { get; init; } = FitMethod.Binned;

    /// <summary>Fixed Breit-Wigner mass (GeV); default the Z mass.</summary>
    public double Mass { get; init; } = 91.1876;

    /// <summary>Fixed Breit-Wigner width (GeV); default the Z width.</summary>
    public double Width { get; init; } = 2.4952;
}

/// <summary>The result of a Z-peak fit.</summary>
public sealed record ZPeakFitResult
{
    /// <summary>μ (shift of the Crystal Ball, GeV), σ_CB (GeV), α, n, with uncertainties; then the fixed M and Γ.</summary>
    public required IReadOnlyList<FitParameter> Parameters { get; init; }

    /// <summary>The fitted shift μ of the peak (GeV).</summary>
    public FitParameter Mu => Parameters[0];

    /// <summary>The Crystal Ball width σ_CB (GeV): the resolution figure of the ATLAS comparison.</summary>
    public FitParameter SigmaCB => Parameters[1];

    /// <summary>The Crystal Ball tail parameter α.</summary>
    public FitParameter Alpha => Parameters[2];

    /// <summary>The Crystal Ball tail exponent n.</summary>
    public FitParameter N => Parameters[3];

    /// <summary>Binned or unbinned.</summary>
    public required FitMethod Method { get; init; }

    /// <summary>Masses inside the window.</summary>
    public required int Entries { get; init; }

    /// <summary>Whether the minimiser converged and the Hessian gave uncertainties.</summary>
    public required bool Converged { get; init; }

    /// <summary>The minimiser's status in words.</summary>
    public required string Status { get; init; }

    /// <summary>−ln L at the minimum.</summary>
    public required double NegativeLogLikelihood { get; init; }

    /// <summary>Pearson χ² of the histogram against the fitted shape (bins with an expectation above zero).</summary>
    public required double ChiSquare { get; init; }

    /// <summary>Degrees of freedom of <see cref="ChiSquare"/>: bins − 1 (normalisation) − 4 parameters.</summary>
    public required int DegreesOfFreedom { get; init; }

    /// <summary>The χ² probability P(χ² ≥ observed).</summary>
    public required double PValue { get; init; }

    /// <summary>Bin edges of the histogram (Bins + 1 values).</summary>
    public required double[] BinEdges { get; init; }

    /// <summary>Counts per bin.</summary>
    public required double[] Counts { get; init; }

    /// <summary>Expected counts per bin from the fit.</summary>
    public required double[] Expected { get; init; }
}

/// <summary>
/// The Z → ee mass peak: a relativistic Breit-Wigner with M and Γ fixed (the true line shape) convolved with a
/// Crystal Ball (μ, σ_CB, α, n) for the detector response, m = m_BW + δ with δ ~ CB; fitted in a window by binned
/// or unbinned maximum likelihood (../shared/PHYSICS.md; ATLAS reports σ_CB). The convolution is a direct sum on
/// a grid of step 0.05 GeV over the Crystal Ball's probability per grid cell; the density is normalised over the window.
/// </summary>
public static class ZPeakFit
{
    /// <summary>Fits the masses (GeV); masses outside the window are ignored.</summary>
    public static ZPeakFitResult Fit(ReadOnlySpan<double> masses, ZPeakFitOptions? options = null)
    {
        options ??= new ZPeakFitOptions();
        if (!(options.High > options.Low) || options.Bins < 6)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Need high > low and at least 6 bins.");
        }
        double[] inside = masses.ToArray().Where(m => m >= options.Low && m <= options.High).ToArray();
        if (inside.Length < 10)
        {
            throw new ArgumentException($"Only {inside.Length} masses in the window {options.Low}–{options.High} GeV: too few to fit.", nameof(masses));
        }
        double[] edges = Enumerable.Range(0, options.Bins + 1).Select(i => options.Low + (options.High - options.Low) * i / options.Bins).ToArray();
        double[] counts = Histogram(inside, edges);

        // Start: the shift from the median, the width from σ_eff minus the Breit-Wigner's share.
        double median = Resolution.Median(inside);
        double sigmaEff = Resolution.SigmaEff(inside);
        double sigma0 = Math.Max(0.3, Math.Sqrt(Math.Max(0.09, sigmaEff * sigmaEff - options.Width * options.Width / 4)));
        double[] start = [median - options.Mass, sigma0, 1.5, 3];
        double[] steps = [0.5, 0.3 * sigma0, 0.3, 1];

        double Objective(double[] p)
        {
            if (!(p[1] > 0.01 && p[2] > 0.05 && p[2] < 20 && p[3] > 1.01 && p[3] < 200))
            {
                return double.PositiveInfinity;
            }
            var shape = new Shape(options, p);
            if (options.Method == FitMethod.Unbinned)
            {
                double sum = 0;
                foreach (double m in inside)
                {
                    sum -= Math.Log(Math.Max(shape.Density(m), 1e-300));
                }
                return sum;
            }
            double nll = 0;
            for (int b = 0; b < counts.Length; b++)
            {
                double expected = inside.Length * shape.Probability(edges[b], edges[b + 1]);
                // Poisson −ln L up to a constant, with the total fixed to the observed (multinomial).
                nll += expected - counts[b] * Math.Log(Math.Max(expected, 1e-300));
            }
            return nll;
        }

        Minimizer.Result result = Minimizer.Minimise(Objective, start, steps);
        var best = new Shape(options, result.Values);
        double[] expectedCounts = new double[counts.Length];
        double chi2 = 0;
        int used = 0;
        for (int b = 0; b < counts.Length; b++)
        {
            expectedCounts[b] = inside.Length * best.Probability(edges[b], edges[b + 1]);
            if (expectedCounts[b] > 0)
            {
                chi2 += (counts[b] - expectedCounts[b]) * (counts[b] - expectedCounts[b]) / expectedCounts[b];
                used++;
            }
        }
        int ndf = Math.Max(1, used - 1 - 4);
        string[] names = ["mu", "sigma_cb", "alpha", "n"];
        var parameters = names.Select((name, i) => new FitParameter(name, result.Values[i], result.Errors[i])).ToList();
        parameters.Add(new FitParameter("m_z", options.Mass, 0, Fixed: true));
        parameters.Add(new FitParameter("gamma_z", options.Width, 0, Fixed: true));
        return new ZPeakFitResult
        {
            Parameters = parameters,
            Method = options.Method,
            Entries = inside.Length,
            Converged = result.Converged,
            Status = result.Status,
            NegativeLogLikelihood = result.MinimumValue,
            ChiSquare = chi2,
            DegreesOfFreedom = ndf,
            PValue = SpecialFunctions.RegularizedUpperGamma(ndf / 2.0, chi2 / 2),
            BinEdges = edges,
            Counts = counts,
            Expected = expectedCounts,
        };
    }

    /// <summary>The fitted density (normalised over the window) at the masses <paramref name="at"/>, for plots.</summary>
    public static double[] Density(ZPeakFitOptions options, double mu, double sigma, double alpha, double n, ReadOnlySpan<double> at)
    {
        ArgumentNullException.ThrowIfNull(options);
        var shape = new Shape(options, [mu, sigma, alpha, n]);
        var values = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            values[i] = shape.Density(at[i]);
        }
        return values;
    }

    private static double[] Histogram(double[] values, double[] edges)
    {
        var counts = new double[edges.Length - 1];
        double low = edges[0];
        double width = (edges[^1] - low) / counts.Length;
        foreach (double v in values)
        {
            int b = Math.Clamp((int)((v - low) / width), 0, counts.Length - 1);
            counts[b]++;
        }
        return counts;
    }

    /// <summary>The convolved density tabulated on a grid over the window, with its cumulative integral.</summary>
    private sealed class Shape
    {
        private readonly double _low;
        private readonly double _step;
        private readonly double[] _density;
        private readonly double[] _cumulative;

        public Shape(ZPeakFitOptions options, double[] p)
        {
            double mu = p[0], sigma = p[1], alpha = p[2], n = p[3];
            _low = options.Low;
            int points = Math.Max(200, (int)Math.Ceiling((options.High - options.Low) / 0.05));
            _step = (options.High - options.Low) / points;
            double mass = options.Mass, width = options.Width;
            // δ = m − m_BW: every δ through which a mass of the window is reached with a non-negligible weight.
            double deltaLow = Math.Min(options.Low - mass - 10 * width, mu - 8 * sigma);
            double deltaHigh = Math.Max(options.High - mass + 10 * width, mu + 8 * sigma);
            int deltaPoints = (int)Math.Ceiling((deltaHigh - deltaLow) / _step);
            // The Crystal Ball's probability in each cell [δ − h/2, δ + h/2] (its integral, not a sample: exact for
            // any σ_CB, also far below the grid step), as a double-sided one whose high tail never starts.
            var cb = new double[deltaPoints + 1];
            double Integral(double delta) => CrystalBall.DoubleSidedIntegral((delta - mu) / sigma, alpha, n, 1e3, 2);
            double below = Integral(deltaLow - _step / 2);
            for (int j = 0; j <= deltaPoints; j++)
            {
                double above = Integral(deltaLow + (j + 0.5) * _step);
                cb[j] = above - below;
                below = above;
            }
            double largest = cb.Max();
            int first = Array.FindIndex(cb, w => w > 1e-12 * largest);
            int last = Array.FindLastIndex(cb, w => w > 1e-12 * largest);
            // m_i − δ_j = (low − deltaLow) + (i − j)·h depends on i − j only: tabulate the Breit-Wigner once per shape.
            int offset = last;
            var bw = new double[points + last - first + 1];
            double m2 = mass * mass, mw = mass * width;
            for (int k = 0; k < bw.Length; k++)
            {
                double mb = _low - deltaLow + (k - offset) * _step;
                double d = mb * mb - m2;
                bw[k] = mb > 0 ? 2 * mb * mw / (d * d + mw * mw) : 0;
            }
            _density = new double[points + 1];
            for (int i = 0; i <= points; i++)
            {
                double sum = 0;
                for (int j = first; j <= last; j++)
                {
                    sum += cb[j] * bw[i - j + offset];
                }
                _density[i] = sum;
            }
            _cumulative = new double[points + 1];
            for (int i = 1; i <= points; i++)
            {
                _cumulative[i] = _cumulative[i - 1] + (_density[i - 1] + _density[i]) * _step / 2;
            }
            double total = _cumulative[^1];
            for (int i = 0; i <= points; i++)
            {
                _density[i] /= total;
                _cumulative[i] /= total;
            }
        }

        /// <summary>Linear interpolation of the normalised density.</summary>
        public double Density(double m)
        {
            double x = (m - _low) / _step;
            if (x < 0 || x > _density.Length - 1)
            {
                return 0;
            }
            int i = Math.Min((int)x, _density.Length - 2);
            double f = x - i;
            return _density[i] * (1 - f) + _density[i + 1] * f;
        }

        /// <summary>The probability of a mass in [a, b] (within the window).</summary>
        public double Probability(double a, double b) => Cumulative(b) - Cumulative(a);

        private double Cumulative(double m)
        {
            double x = Math.Clamp((m - _low) / _step, 0, _cumulative.Length - 1);
            int i = Math.Min((int)x, _cumulative.Length - 2);
            double f = x - i;
            // Trapezoid within the cell: exact for the linear interpolation of the density.
            double partial = (_density[i] + (_density[i] + f * (_density[i + 1] - _density[i]))) * f * _step / 2;
            return _cumulative[i] + partial;
        }
    }
}
