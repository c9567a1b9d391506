using EnergyRegression.Physics;

namespace EnergyRegression.Simulation.Randomness;

/// <summary>
/// A fast, seedable random stream: xoshiro256** (D. Blackman, S. Vigna, "Scrambled linear
/// pseudorandom number generators", ACM TOMS 47 (2021) 36), its state filled by SplitMix64. Every
/// simulated event gets its own stream, keyed by (seed, event number), so events do not depend on
/// which thread or batch produced them.
/// </summary>
internal struct RandomStream
{
    private ulong _s0, _s1, _s2, _s3;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>A stream keyed by a seed and up to two further numbers (event number, purpose).</summary>
    public RandomStream(ulong seed, ulong key1 = 0, ulong key2 = 0)
    {
        ulong x = seed ^ (key1 * 0x9E3779B97F4A7C15UL) ^ Hash.Mix(key2 + 0x632BE59BD9B4E019UL);
        _s0 = Hash.SplitMix(ref x);
        _s1 = Hash.SplitMix(ref x);
        _s2 = Hash.SplitMix(ref x);
        _s3 = Hash.SplitMix(ref x);
        _spareGaussian = 0;
        _hasSpare = false;
    }

    /// <summary>64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in (0, 1): safe to take the logarithm of.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>An integer in [0, count).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 32) * (ulong)count >> 32);

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Bernoulli(double p) => NextDouble() < p;

    /// <summary>A standard normal number (Marsaglia's polar method; the second value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        }
        while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        _hasSpare = true;
        return u * factor;
    }

    /// <summary>Exponential with the given mean.</summary>
    public double Exponential(double mean) => -mean * Math.Log(NextOpenDouble());

    /// <summary>
    /// Gamma(shape, 1): Marsaglia–Tsang squeeze method (ACM TOMS 26 (2000) 363), with the
    /// shape &lt; 1 case from Gamma(shape + 1) · U^(1/shape).
    /// </summary>
    public double Gamma(double shape)
    {
        if (shape < 1)
        {
            return Gamma(shape + 1) * Math.Pow(NextOpenDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            double u = NextOpenDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v)))
            {
                return d * v;
            }
        }
    }

    /// <summary>Poisson with mean <paramref name="mean"/> (multiplication method below 30, normal approximation above).</summary>
    public int Poisson(double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }
        if (mean > 30)
        {
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * NextGaussian()));
        }
        double limit = Math.Exp(-mean);
        double product = NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= NextDouble();
            count++;
        }
        return count;
    }

    /// <summary>Binomial(<paramref name="trials"/>, <paramref name="p"/>) by counting Bernoulli trials (small counts only).</summary>
    public int Binomial(int trials, double p)
    {
        int count = 0;
        for (int i = 0; i < trials; i++)
        {
            count += NextDouble() < p ? 1 : 0;
        }
        return count;
    }
}

/// <summary>
/// Counter-based randomness: a number for (key, index) without any state, so that the noise of a
/// crystal is the same whichever electron's window reads it first.
/// </summary>
internal static class Hash
{
    /// <summary>The SplitMix64 step (G. Steele, D. Lea, C. Flood, OOPSLA 2014).</summary>
    public static ulong SplitMix(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>SplitMix64's finaliser: a bijective 64-bit mixer.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>64 random bits for (key, index).</summary>
    public static ulong Bits(ulong key, ulong index) => Mix(key ^ Mix(index * 0xD1B54A32D192ED03UL + 0x8CB92BA72F3D8DD7UL));

    /// <summary>Uniform in [0, 1) for (key, index), from the high 53 bits.</summary>
    public static double Uniform(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// A standard normal number from 16 random bits: the quantile Φ⁻¹((k + ½)/65536) of a grid, interpolated
    /// linearly from the quantiles at the centres of blocks of 32 (a 2048-entry table of 8 KB that stays in the L1
    /// cache: the readout draws one per crystal, and a 65536-entry table missed the cache every time). Symmetric,
    /// mean 0, variance 1 within 1e-3, tails to ±3.6σ (the edge blocks extrapolate) — plenty for electronic noise.
    /// </summary>
    public static float Gaussian16(ulong bits)
    {
        int k = (int)(bits & 0xFFFF);
        int block = k >> 5;
        int within = k & 31;
        // Interpolate towards the nearer neighbouring block (the edge blocks extrapolate from their inner one).
        int other = within < 16 ? Math.Max(block - 1, 0) : Math.Min(block + 1, GaussianBlocks - 1);
        if (other == block)
        {
            other = block == 0 ? 1 : block - 1;
        }
        float centre = GaussianTable[block];
        float slope = (GaussianTable[other] - centre) / (32 * (other - block));
        return centre + slope * (within - 15.5f);
    }

    private const int GaussianBlocks = 2048;
    private static readonly float[] GaussianTable = BuildGaussianTable();

    /// <summary>An exponential number of mean 1 from 12 random bits: −ln(1 − (k + ½)/4096), tail stopping at 9.</summary>
    public static float Exponential12(ulong bits) => ExponentialTable[(int)(bits & 0xFFF)];

    private static readonly float[] ExponentialTable =
        [.. Enumerable.Range(0, 4096).Select(k => (float)-Math.Log(1 - (k + 0.5) / 4096))];

    private static float[] BuildGaussianTable()
    {
        // Block b holds k = 32b … 32b + 31; its centre is k = 32b + 15.5.
        var table = new float[GaussianBlocks];
        for (int b = 0; b < table.Length; b++)
        {
            table[b] = (float)SpecialFunctions.NormalQuantile((32.0 * b + 16) / 65536);
        }
        return table;
    }
}
