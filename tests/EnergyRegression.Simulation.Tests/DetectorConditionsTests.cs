using EnergyRegression.Simulation.Detector;

namespace EnergyRegression.Simulation.Tests;

/// <summary>Dead crystals and calibration maps: their statistics and what they depend on.</summary>
public class DetectorConditionsTests
{
    private static readonly CalorimeterGeometry Barrel = new(endcap: false);

    private static bool[] DeadMap(DetectorConditions conditions) =>
        [.. Enumerable.Range(0, Barrel.CrystalCount).Select(conditions.IsDead)];

    [Fact]
    public void About_three_per_mille_of_the_crystals_are_dead()
    {
        // Binomial(75960, 0.003) over the barrel's 61200 and the endcaps' 14760 crystals: mean 227.9, σ = 15.1; allow 4σ.
        const int Crystals = 61200 + 14760;
        using var simulator = new EventSimulator(new SimulationSettings { DeadFraction = 0.003 });
        double expected = Crystals * 0.003, sigma = Math.Sqrt(Crystals * 0.003 * 0.997);
        Assert.InRange(simulator.DeadCrystals, expected - 4 * sigma, expected + 4 * sigma);
        using var none = new EventSimulator(new SimulationSettings { DeadFraction = 0 });
        Assert.Equal(0, none.DeadCrystals);
        using var many = new EventSimulator(new SimulationSettings { DeadFraction = 0.2 });
        double expectedMany = Crystals * 0.2, sigmaMany = Math.Sqrt(Crystals * 0.2 * 0.8);
        Assert.InRange(many.DeadCrystals, expectedMany - 4 * sigmaMany, expectedMany + 4 * sigmaMany);
    }

    [Fact]
    public void The_dead_map_depends_on_the_detector_seed_only()
    {
        var reference = new SimulationSettings { DeadFraction = 0.01, Endcap = false };
        bool[] dead = DeadMap(new DetectorConditions(Barrel, reference));
        Assert.Equal(dead, DeadMap(new DetectorConditions(Barrel, reference with { Seed = 7 })));
        Assert.Equal(dead, DeadMap(new DetectorConditions(Barrel, reference with { Mode = SimulationMode.Data })));
        Assert.Equal(dead, DeadMap(new DetectorConditions(Barrel, reference with { McMiscalibration = 0.02 })));

        bool[] other = DeadMap(new DetectorConditions(Barrel, reference with { DetectorSeed = 12345 }));
        int deadCount = dead.Count(d => d), otherCount = other.Count(d => d);
        int both = Enumerable.Range(0, dead.Length).Count(i => dead[i] && other[i]);
        Assert.NotEqual(dead, other);
        // Independent maps: the overlap is Binomial-like with mean n₁n₂/N ≈ 6.
        double expectedOverlap = (double)deadCount * otherCount / dead.Length;
        Assert.InRange(both, 0, expectedOverlap + 5 * Math.Sqrt(expectedOverlap));

        // The simulator built from other event seeds sees the same number of dead crystals.
        using var a = new EventSimulator(reference);
        using var b = new EventSimulator(reference with { Seed = 99 });
        Assert.Equal(deadCount, a.DeadCrystals);
        Assert.Equal(a.DeadCrystals, b.DeadCrystals);
    }

    [Fact]
    public void The_calibration_maps_have_the_configured_spread_and_scale()
    {
        // The barrel's spread grows as 1 + 3 (|η|/1.479)²: each crystal's deviation over its ring's spread is a unit Gaussian.
        var mc = new DetectorConditions(Barrel, new SimulationSettings { McMiscalibration = 0.005 });
        var data = new DetectorConditions(Barrel, new SimulationSettings { Mode = SimulationMode.Data, DataMiscalibration = 0.01, DataScale = 0.985 });
        double[] spread = [.. Enumerable.Range(0, Barrel.CrystalCount).Select(i => DetectorConditions.BarrelSpreadShape(Barrel.Ring(Barrel.RingOfCrystal(i)).EtaCentre))];
        double[] rMc = [.. Enumerable.Range(0, Barrel.CrystalCount).Select(i => (double)mc.Response(i))];
        double[] rData = [.. Enumerable.Range(0, Barrel.CrystalCount).Select(i => (double)data.Response(i))];
        double[] zMc = [.. Enumerable.Range(0, rMc.Length).Select(i => (rMc[i] - 1) / (0.005 * spread[i]))];
        double[] zData = [.. Enumerable.Range(0, rData.Length).Select(i => (rData[i] / 0.985 - 1) / (0.01 * spread[i]))];
        int n = rMc.Length;
        // Mean within 4 standard errors; the spread of 61200 unit Gaussians within 2% (σ of σ is 0.3%).
        Assert.Equal(0, Stat.Mean(zMc), 4 / Math.Sqrt(n));
        Assert.Equal(1, Math.Sqrt(Stat.Variance(zMc)), 0.02);
        Assert.Equal(0.985, Stat.Mean(rData), 4 * 0.02 / Math.Sqrt(n));
        Assert.Equal(1, Math.Sqrt(Stat.Variance(zData)), 0.02);
        // At the barrel's end the spread is 4 × the central one.
        Assert.Equal(4, DetectorConditions.BarrelSpreadShape(1.479), 1e-12);
        // The two maps are independent: correlation within 4/√n of 0.
        double mMc = Stat.Mean(zMc), mData = Stat.Mean(zData);
        double covariance = Enumerable.Range(0, n).Sum(i => (zMc[i] - mMc) * (zData[i] - mData)) / n;
        double correlation = covariance / Math.Sqrt(Stat.Variance(zMc) * Stat.Variance(zData));
        Assert.InRange(correlation, -4 / Math.Sqrt(n), 4 / Math.Sqrt(n));
        // A perfect calibration is exactly 1.
        var perfect = new DetectorConditions(Barrel, new SimulationSettings { McMiscalibration = 0 });
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(1f, perfect.Response(i)));
    }

    [Fact]
    public void The_endcaps_have_their_own_calibration_spread()
    {
        var geometry = new CalorimeterGeometry(endcap: true);
        var mc = new DetectorConditions(geometry, new SimulationSettings { EndcapMiscalibration = 0.03 });
        double[] endcap = [.. Enumerable.Range(0, geometry.RingCount).Where(r => geometry.Ring(r).Subdetector == Subdetector.Endcap)
            .SelectMany(r => Enumerable.Range(geometry.Ring(r).FirstCrystal, geometry.Ring(r).PhiCount)).Select(i => (double)mc.Response(i))];
        Assert.Equal(2 * 41 * 180, endcap.Length);
        Assert.Equal(1, Stat.Mean(endcap), 4 * 0.03 / Math.Sqrt(endcap.Length));
        Assert.Equal(0.03, Math.Sqrt(Stat.Variance(endcap)), 0.03 * 0.03);
    }
}
