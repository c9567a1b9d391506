using EnergyRegression.Physics;

namespace EnergyRegression.Simulation.Tests;

/// <summary>What the Z → ee tests read of a sample: true and reconstructed pair masses, identification.</summary>
public sealed class ZeeSample
{
    public const int Events = 20000;

    public ZeeSample(SimulationSettings settings)
    {
        Samples.Run(settings, Events, e =>
        {
            if (e.Gen.Count == 2)
            {
                GenParticle a = e.Gen[0], b = e.Gen[1];
                var pa = LorentzVector.FromPtEtaPhiM(a.Energy / Math.Cosh(a.Eta), a.Eta, a.Phi, 0);
                var pb = LorentzVector.FromPtEtaPhiM(b.Energy / Math.Cosh(b.Eta), b.Eta, b.Phi, 0);
                LorentzVector pair = pa + pb;
                TruePairMass.Add(pair.M);
                GeneratedZMass.Add(e.Z.Mass);
                PairPt.Add(pair.Pt);
                PairRapidity.Add(pair.Rapidity);
                ZPt.Add(e.Z.Pt);
                ZRapidity.Add(e.Z.Rapidity);
                (double bx, double by, double bz) = pair.Beta;
                LorentzVector electronAtRest = pa.Boost(-bx, -by, -bz);
                CosTheta.Add(electronAtRest.Pz / electronAtRest.P);
                GenPdgIds.Add((a.PdgId, b.PdgId));
            }
            var real = e.Objects.Where(o => o.GenIndex >= 0).ToList();
            if (real.Count == 2)
            {
                RecoPairMass.Add(Kinematics.MasslessPairMass(real[0].Pt, real[0].Eta, real[0].Phi, real[1].Pt, real[1].Eta, real[1].Phi));
            }
            foreach (RecoObject o in e.Objects)
            {
                Identification.Add((o.GenIndex >= 0, o.CutBased));
            }
        });
    }

    /// <summary>Invariant mass of the two generated electrons, massless, from their energy, η and φ.</summary>
    public List<double> TruePairMass { get; } = [];

    /// <summary>The generated Z mass stored with the event.</summary>
    public List<double> GeneratedZMass { get; } = [];

    public List<(int, int)> GenPdgIds { get; } = [];

    /// <summary>pT and rapidity of the generated electron pair, and those stored for the Z.</summary>
    public List<double> PairPt { get; } = [];

    public List<double> PairRapidity { get; } = [];

    public List<double> ZPt { get; } = [];

    public List<double> ZRapidity { get; } = [];

    /// <summary>cos θ of the electron in the pair's rest frame, about the beam axis.</summary>
    public List<double> CosTheta { get; } = [];

    /// <summary>Mass of the two reconstructed electrons matched to the generated ones, from their pT, η, φ.</summary>
    public List<double> RecoPairMass { get; } = [];

    /// <summary>(matched to a true electron, cut-based ID) of every reconstructed object.</summary>
    public List<(bool Real, int CutBased)> Identification { get; } = [];

    /// <summary>Peak of the reconstructed pair mass: mode of 0.5 GeV bins smoothed over ±2 bins.</summary>
    public double RecoPeak => Stat.HistogramPeak(RecoPairMass, 60, 120);
}

/// <summary>20 000 Z → ee events simulated as MC without pile-up, shared by the Z tests.</summary>
public sealed class ZeeFixture
{
    public static readonly SimulationSettings McSettings = new() { Process = SimulatedProcess.Zee, Pileup = 0, Seed = 2024 };

    public ZeeSample Mc { get; } = new(McSettings);
}

/// <summary>The Z → ee sample: line shape, mass peak, data energy scale, identification.</summary>
public class ZeeTests(ZeeFixture fixture) : IClassFixture<ZeeFixture>
{
    [Fact]
    public void True_masses_follow_the_Z_line_shape()
    {
        ZeeSample mc = fixture.Mc;
        Assert.Equal(ZeeSample.Events, mc.TruePairMass.Count);
        Assert.All(mc.GenPdgIds, ids => Assert.Equal((11, -11), ids));
        // One-sample Kolmogorov–Smirnov against the truncated Breit-Wigner; 1.63/√n is the 1% critical value.
        var lineShape = BreitWigner.ZBoson(50, 130);
        double d = Stat.KolmogorovSmirnov(mc.TruePairMass, lineShape.Cdf);
        Assert.True(d < 1.63 / Math.Sqrt(mc.TruePairMass.Count), $"KS statistic {d}");
        // The electron pair carries the generated mass.
        for (int i = 0; i < mc.TruePairMass.Count; i++)
        {
            Assert.Equal(mc.GeneratedZMass[i], mc.TruePairMass[i], 1e-3 * mc.GeneratedZMass[i]);
        }
    }

    [Fact]
    public void Z_transverse_momentum_rapidity_and_decay_angle_follow_the_generator_spectra()
    {
        ZeeSample mc = fixture.Mc;
        double critical = 1.63 / Math.Sqrt(mc.ZPt.Count);
        // f(pT) ∝ pT (1 + pT²/p0²)^(−k), p0 = 6 GeV, k = 2.2: F(pT) = 1 − (1 + pT²/36)^(1−k).
        double dPt = Stat.KolmogorovSmirnov(mc.PairPt, pt => 1 - Math.Pow(1 + pt * pt / 36, -1.2));
        Assert.True(dPt < critical, $"pT: KS statistic {dPt}");
        // Rapidity: a Gaussian of σ = 1.9 truncated to |y| < 4.
        double edge = SpecialFunctions.NormalCdf(-4 / 1.9);
        double dY = Stat.KolmogorovSmirnov(mc.PairRapidity, y => (SpecialFunctions.NormalCdf(y / 1.9) - edge) / (1 - 2 * edge));
        Assert.True(dY < critical, $"rapidity: KS statistic {dY}");
        // Decay 1 + cos²θ: F(c) = (c³ + 3c + 4)/8.
        double dCos = Stat.KolmogorovSmirnov(mc.CosTheta, c => (c * c * c + 3 * c + 4) / 8);
        Assert.True(dCos < critical, $"cos θ: KS statistic {dCos}");
        // A flat decay angle would be rejected.
        Assert.True(Stat.KolmogorovSmirnov(mc.CosTheta, c => (c + 1) / 2) > critical);
        // The electron pair carries the Z's stored pT and rapidity.
        for (int i = 0; i < mc.ZPt.Count; i++)
        {
            Assert.Equal(mc.ZPt[i], mc.PairPt[i], 1e-3 * (1 + mc.ZPt[i]));
            Assert.Equal(mc.ZRapidity[i], mc.PairRapidity[i], 1e-3);
        }
    }

    [Fact]
    public void A_shifted_line_shape_is_rejected_by_the_same_statistic()
    {
        // The KS test has the power to see a 0.3 GeV shift of the pole mass.
        var shifted = new BreitWigner(91.4876, 2.4952, 50, 130);
        double d = Stat.KolmogorovSmirnov(fixture.Mc.TruePairMass, shifted.Cdf);
        Assert.True(d > 1.63 / Math.Sqrt(fixture.Mc.TruePairMass.Count), $"KS statistic {d}");
    }

    [Fact]
    public void The_reconstructed_mass_peaks_at_the_Z_mass_in_MC()
    {
        // The global correction (1.035) is tuned to put the MC peak at the Z mass, within 2%.
        ZeeSample mc = fixture.Mc;
        Assert.True(mc.RecoPairMass.Count > 4000, $"{mc.RecoPairMass.Count} pairs");
        Assert.Equal(91.19, mc.RecoPeak, 0.02 * 91.19);
    }

    [Theory]
    [InlineData(0.985)]
    [InlineData(0.95)]
    public void Pseudo_data_peaks_lower_by_the_data_scale(double scale)
    {
        // Same events (same seed), data mode: another calibration map, 1% extra smearing, and the scale.
        var data = new ZeeSample(ZeeFixture.McSettings with { Mode = SimulationMode.Data, DataScale = scale });
        Assert.Equal(scale, data.RecoPeak / fixture.Mc.RecoPeak, 0.005 * scale);
    }

    [Fact]
    public void Real_electrons_pass_the_loose_identification_and_fakes_rarely_do()
    {
        var real = fixture.Mc.Identification.Where(o => o.Real).ToList();
        var fake = fixture.Mc.Identification.Where(o => !o.Real).ToList();
        Assert.True(fake.Count > 1000, $"{fake.Count} fakes");
        double realPass = real.Count(o => o.CutBased >= 2) / (double)real.Count;
        double fakePass = fake.Count(o => o.CutBased >= 2) / (double)fake.Count;
        Assert.True(realPass > 0.95, $"real electrons passing loose: {realPass}");
        Assert.True(fakePass < 0.05, $"fakes passing loose: {fakePass}");
        // Tighter working points keep fewer real electrons.
        double realTight = real.Count(o => o.CutBased >= 4) / (double)real.Count;
        Assert.True(realTight < realPass);
    }
}
