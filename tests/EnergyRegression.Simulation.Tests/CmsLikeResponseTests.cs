using EnergyRegression.Physics;
using EnergyRegression.Simulation.Transport;
using Xunit.Abstractions;

namespace EnergyRegression.Simulation.Tests;

/// <summary>
/// The effects a CMS-like regression corrects, in the raw supercluster energy of the simulation (issue 22, docs/simulation.md
/// "Validation"): material that grows with |η|, the supercluster's losses, local containment, the preshower, pile-up and
/// the energy dependence of leakage. Each test prints what it measured (the numbers docs/simulation.md quotes).
/// </summary>
public class CmsLikeResponseTests(ITestOutputHelper output)
{
    [Fact]
    public void The_tracker_material_follows_the_CMS_profile()
    {
        var tracker = new Tracker(1);
        Assert.Equal(0.4, tracker.MaterialX0(0), 1e-12);
        Assert.Equal(1.9, tracker.MaterialX0(Tracker.PeakEta), 1e-12);
        Assert.Equal(1.9 - 1.05 * (2.5 - Tracker.PeakEta), tracker.MaterialX0(2.5), 1e-12); // ≈ 0.9
        Assert.Equal(tracker.MaterialX0(1.2), tracker.MaterialX0(-1.2), 1e-12);
        // Rising through the barrel, falling in the endcaps.
        for (double eta = 0.05; eta < Tracker.PeakEta; eta += 0.05)
        {
            Assert.True(tracker.MaterialX0(eta) > tracker.MaterialX0(eta - 0.05));
        }
        Assert.True(tracker.MaterialX0(2.0) < tracker.MaterialX0(1.6));
        Assert.Equal(0, new Tracker(0).MaterialX0(1.2));
    }

    /// <summary>E_raw/E_true of the real electrons of a Z → ee sample with pile-up, by region and R9.</summary>
    private static Dictionary<string, List<double>> ZeeResponses(int events, int seed)
    {
        var responses = new Dictionary<string, List<double>>();
        void Add(string key, double value)
        {
            if (!responses.TryGetValue(key, out List<double>? list))
            {
                responses[key] = list = [];
            }
            list.Add(value);
        }
        Samples.Run(new SimulationSettings { Pileup = 30, WindowSize = 5, Seed = seed }, events, e =>
        {
            foreach (RecoObject o in e.Objects)
            {
                if (o.GenIndex < 0)
                {
                    continue;
                }
                GenParticle gen = e.Gen[o.GenIndex];
                double eta = Math.Abs(gen.Eta);
                string? region = eta < 0.8 ? "EB central" : eta < 1.4442 ? "EB outer" : eta is > 1.566 and < 2.5 ? "EE" : null;
                if (region is null)
                {
                    continue;
                }
                double response = (o.Energy + o.PreshowerEnergy) / gen.Energy;
                Add(region, response);
                Add(region + (o.R9 > 0.94 ? " high R9" : " low R9"), response);
            }
        });
        return responses;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void The_raw_resolution_worsens_from_the_central_barrel_to_the_outer_barrel_to_the_endcaps(int seed)
    {
        Dictionary<string, List<double>> responses = ZeeResponses(4000, seed);
        double SigmaEff(string key) => Resolution.SigmaEff([.. responses[key]]) / Resolution.Median([.. responses[key]]);
        double Tail(string key) => responses[key].Count(r => r < 0.9) / (double)responses[key].Count;
        foreach (string key in responses.Keys.Order())
        {
            output.WriteLine($"{key,-20} {responses[key].Count,6} objects  median {Resolution.Median([.. responses[key]]):F4}  σ_eff/median {SigmaEff(key):P2}  below 0.9: {Tail(key):P1}");
        }
        // CMS's ordering (CMS-EGM-18-002): central barrel < outer barrel < endcaps.
        Assert.True(SigmaEff("EB central") < SigmaEff("EB outer"), "central vs outer barrel");
        Assert.True(SigmaEff("EB outer") < SigmaEff("EE"), "outer barrel vs endcaps");
        // The supercluster's low tail is strongest where the material is (the outer barrel), and for low R9.
        Assert.True(Tail("EB outer") > 1.3 * Tail("EB central"), "low tail outer vs central");
        Assert.True(Tail("EB outer low R9") > Tail("EB outer high R9"), "low tail low vs high R9");
        Assert.True(SigmaEff("EB central low R9") > SigmaEff("EB central high R9"), "resolution low vs high R9");
    }

    /// <summary>Mean supercluster energy / E of photons shot at one point of a crystal of ring iη = 11 (no material, noise or miscalibration).</summary>
    private static double MeanResponse(double etaFraction, double phiFraction, double energy, int events = 400, double pileup = 0)
    {
        double eta = Samples.CentralEta + (etaFraction - 0.5) * Samples.CrystalDeltaEta;
        double phi = Samples.CentralPhi + (phiFraction - 0.5) * Samples.CrystalDeltaPhi;
        var settings = Samples.CentralPhotons(energy) with
        {
            EtaRange = (eta, eta),
            PhiRange = (phi, phi),
            NoisePerCrystal = 0,
            ConstantTerm = 0,
            Pileup = pileup,
        };
        double sum = 0;
        int n = 0;
        Samples.Run(settings, events, e =>
        {
            foreach (RecoObject o in e.Objects)
            {
                sum += o.Energy / energy;
                n++;
            }
        });
        return sum / n;
    }

    [Fact]
    public void The_response_depends_on_where_the_shower_hits_the_crystal()
    {
        // CMS corrects ≈ 1–2% between a crystal's centre and its edges and corners (local containment).
        double centre = MeanResponse(0.5, 0.5, 50);
        double edge = MeanResponse(0.02, 0.5, 50);
        double corner = MeanResponse(0.02, 0.02, 50);
        output.WriteLine($"centre {centre:F4}, edge {edge:F4} ({edge / centre - 1:P2}), corner {corner:F4} ({corner / centre - 1:P2})");
        Assert.InRange(edge / centre - 1, -0.02, -0.005);
        Assert.InRange(corner / centre - 1, -0.035, -0.012);
        Assert.True(corner < edge);
    }

    [Fact]
    public void The_response_depends_on_the_energy()
    {
        // Small showers lose a larger share of their energy below the crystal thresholds of the supercluster; large ones
        // leak more through the back of the crystals: the response is not a constant that one factor could fix.
        double low = MeanResponse(0.5, 0.5, 20);
        double middle = MeanResponse(0.5, 0.5, 100);
        double high = MeanResponse(0.5, 0.5, 1000);
        output.WriteLine($"20 GeV {low:F4}, 100 GeV {middle:F4}, 1 TeV {high:F4}");
        Assert.True(middle > low + 0.01, $"20 GeV {low:F4}, 100 GeV {middle:F4}");
        Assert.True(high < middle, $"100 GeV {middle:F4}, 1 TeV {high:F4}");
    }

    [Fact]
    public void Pile_up_adds_energy_in_proportion_to_the_interactions()
    {
        double quiet = MeanResponse(0.5, 0.5, 40, 800);
        double busy = MeanResponse(0.5, 0.5, 40, 800, pileup: 60);
        output.WriteLine($"⟨μ⟩ = 0: {quiet:F4}, ⟨μ⟩ = 60: {busy:F4} ({busy / quiet - 1:P2})");
        Assert.InRange(busy / quiet - 1, 0.003, 0.03);
    }

    [Fact]
    public void The_preshower_keeps_part_of_the_energy_and_measures_it()
    {
        var settings = new SimulationSettings
        {
            Process = SimulatedProcess.ParticleGun,
            Particle = GunParticle.Photon,
            TrackerMaterialScale = 0,
            Pileup = 0,
            EnergyRange = (100, 100),
            EtaRange = (1.9, 2.3),
        };
        var raw = new List<double>();
        var withPreshower = new List<double>();
        var fraction = new List<double>();
        Samples.Run(settings, 3000, e =>
        {
            foreach (RecoObject o in e.Objects)
            {
                raw.Add(o.Energy / 100);
                withPreshower.Add((o.Energy + o.PreshowerEnergy) / 100);
                fraction.Add(o.PreshowerEnergy / 100);
            }
        });
        double sigmaRaw = Resolution.SigmaEff([.. raw]), sigmaSum = Resolution.SigmaEff([.. withPreshower]);
        output.WriteLine($"preshower fraction mean {fraction.Average():P2}; σ_eff raw {sigmaRaw:F4}, raw + preshower {sigmaSum:F4}");
        // The lead keeps a few per cent of a 100 GeV photon's energy, fluctuating; the preshower's measurement recovers
        // the scale and part of the fluctuation.
        Assert.InRange(fraction.Average(), 0.005, 0.08);
        Assert.True(Resolution.Median([.. withPreshower]) > Resolution.Median([.. raw]));
        Assert.True(sigmaSum < sigmaRaw, $"σ_eff raw {sigmaRaw:F4}, with the preshower {sigmaSum:F4}");
        // Outside the preshower's acceptance it measures nothing.
        Samples.Run(settings with { EtaRange = (2.7, 2.9) }, 200, e => Assert.All(e.Objects, o => Assert.Equal(0, o.PreshowerEnergy)));
    }
}
