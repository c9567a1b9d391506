namespace EnergyRegression.Simulation.Tests;

/// <summary>Photons at the centre of one barrel crystal, seven energies: shared by the resolution and containment tests.</summary>
public sealed class CentralPhotonFixture
{
    public static readonly double[] Energies = [10, 15, 20, 30, 50, 75, 100];

    public const int EventsPerEnergy = 10000;

    public CentralPhotonFixture()
    {
        ByEnergy = [.. Energies.Select(e => new CentralPhotonSample(Samples.CentralPhotons(e), EventsPerEnergy))];
    }

    /// <summary>One sample per entry of <see cref="Energies"/>.</summary>
    public IReadOnlyList<CentralPhotonSample> ByEnergy { get; }
}

/// <summary>The cluster energies of one central photon sample, and what did not look as aimed.</summary>
public sealed class CentralPhotonSample
{
    public CentralPhotonSample(SimulationSettings settings, int events)
    {
        var e3x3 = new List<double>(events);
        var e5x5 = new List<double>(events);
        var trueEnergy = new List<double>(events);
        Samples.Run(settings, events, e =>
        {
            bool aimed = e.Objects.Count == 1 && e.Gen.Count == 1 && e.Gen[0].PdgId == 22 && !e.Gen[0].Converted
                && e.Objects[0].GenIndex == 0 && e.Objects[0].SeedIEta == 11 && e.Objects[0].SeedIPhi == 111
                && e.Objects[0].IsBarrel && e.Objects[0].DeadIn5x5 == 0;
            if (!aimed)
            {
                Unexpected++;
                return;
            }
            e3x3.Add(e.Objects[0].E3x3);
            e5x5.Add(e.Objects[0].E5x5);
            trueEnergy.Add(e.Gen[0].Energy);
        });
        E3x3 = e3x3;
        E5x5 = e5x5;
        TrueEnergy = trueEnergy;
    }

    public IReadOnlyList<double> E3x3 { get; }

    public IReadOnlyList<double> E5x5 { get; }

    public IReadOnlyList<double> TrueEnergy { get; }

    /// <summary>Events without exactly one unconverted photon seeded in the aimed crystal (iη 11, iφ 111).</summary>
    public int Unexpected { get; private set; }
}

/// <summary>
/// The energy resolution of a 3 × 3 cluster, σ/E = a/√E ⊕ b/E ⊕ c, measured as in a test beam
/// (CMS, JINST 2 (2007) P04004): photons at a crystal's centre, σ and E the standard deviation and
/// mean of E3x3, the three terms fitted by weighted least squares in (a², b², c²).
/// </summary>
public class ResolutionTests(CentralPhotonFixture fixture) : IClassFixture<CentralPhotonFixture>
{
    /// <summary>Fits σ²/E² = a²/E + b²/E² + c² with E the mean measured energy; each point weighted by the variance of its sample variance.</summary>
    private static (double A, double B, double C) FitResolution(IEnumerable<IReadOnlyList<double>> samples)
    {
        var basis = new List<double[]>();
        var y = new List<double>();
        var weights = new List<double>();
        foreach (IReadOnlyList<double> e in samples)
        {
            double mean = Stat.Mean(e), variance = Stat.Variance(e);
            basis.Add([1 / mean, 1 / (mean * mean), 1]);
            y.Add(variance / (mean * mean));
            weights.Add(Math.Pow(mean, 4) / Stat.VarianceOfVariance(e));
        }
        double[] squares = Stat.WeightedLeastSquares(basis, y, weights);
        Assert.All(squares, s => Assert.True(s > 0, $"negative fitted square {s}"));
        return (Math.Sqrt(squares[0]), Math.Sqrt(squares[1]), Math.Sqrt(squares[2]));
    }

    [Fact]
    public void Every_photon_is_seeded_in_the_crystal_it_was_aimed_at()
    {
        Assert.All(fixture.ByEnergy, s => Assert.Equal(0, s.Unexpected));
        Assert.All(fixture.ByEnergy, s => Assert.Equal(CentralPhotonFixture.EventsPerEnergy, s.E3x3.Count));
    }

    [Fact]
    public void The_configured_resolution_terms_are_measured_back()
    {
        // Defaults: a = 2.8%, b = 3 × 40 MeV = 0.12 GeV (noise of nine crystals), c = 0.3%.
        (double a, double b, double c) = FitResolution(fixture.ByEnergy.Select(s => s.E3x3));
        Assert.Equal(0.028, a, 0.1 * 0.028);
        Assert.Equal(0.12, b, 0.1 * 0.12);
        Assert.Equal(0.003, c, 0.1 * 0.003);
    }

    [Fact]
    public void Other_resolution_terms_are_honoured()
    {
        // The simulator takes the shower model's own ≈ 0.14% out of the constant term in quadrature,
        // so the measured c is the configured one.
        const double Stochastic = 0.05, Constant = 0.01, Noise = 0.08;
        var samples = new List<IReadOnlyList<double>>();
        foreach (double energy in CentralPhotonFixture.Energies)
        {
            SimulationSettings settings = Samples.CentralPhotons(energy) with
            {
                StochasticTerm = Stochastic,
                ConstantTerm = Constant,
                NoisePerCrystal = Noise,
            };
            var e3x3 = new List<double>();
            Samples.Run(settings, 6000, e => e3x3.Add(e.Objects[0].E3x3));
            samples.Add(e3x3);
        }
        (double a, double b, double c) = FitResolution(samples);
        Assert.Equal(Stochastic, a, 0.1 * Stochastic);
        Assert.Equal(3 * Noise, b, 0.1 * 3 * Noise);
        Assert.Equal(Constant, c, 0.1 * Constant);
    }

    [Fact]
    public void A_central_photon_leaves_94_percent_in_the_3x3_and_97_percent_in_the_5x5()
    {
        // CMS ECAL TDR (CERN/LHCC 97-33), section 1.2: ≈ 94% in 3 × 3 and ≈ 97% in 5 × 5 crystals.
        foreach (CentralPhotonSample s in fixture.ByEnergy)
        {
            double r3 = Enumerable.Range(0, s.E3x3.Count).Average(i => s.E3x3[i] / s.TrueEnergy[i]);
            double r5 = Enumerable.Range(0, s.E5x5.Count).Average(i => s.E5x5[i] / s.TrueEnergy[i]);
            Assert.Equal(0.94, r3, 0.02);
            Assert.Equal(0.97, r5, 0.02);
            Assert.True(r5 > r3);
        }
    }

    [Fact]
    public void The_gun_shoots_the_configured_energy()
    {
        for (int k = 0; k < CentralPhotonFixture.Energies.Length; k++)
        {
            double energy = CentralPhotonFixture.Energies[k];
            Assert.All(fixture.ByEnergy[k].TrueEnergy, e => Assert.Equal(energy, e, 1e-5 * energy));
        }
    }
}
