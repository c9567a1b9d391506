using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Reconstruction;
using EnergyRegression.Simulation.Showers;

namespace EnergyRegression.Simulation.Tests;

/// <summary>The crystal readout: noise, dead crystals, calibration and pile-up, read the same from anywhere.</summary>
public class ReadoutTests
{
    private static readonly CalorimeterGeometry Barrel = new(endcap: false);

    private static (Readout Readout, CrystalEnergies Deposits, DetectorConditions Conditions) Build(SimulationSettings settings)
    {
        var conditions = new DetectorConditions(Barrel, settings);
        return (new Readout(Barrel, conditions, settings), new CrystalEnergies(Barrel.CrystalCount), conditions);
    }

    private static float[] ReadAll(Readout readout)
    {
        var all = new float[Barrel.CrystalCount];
        for (int ring = 0; ring < Barrel.RingCount; ring++)
        {
            readout.ReadRow(ring, 0, all.AsSpan(Barrel.Ring(ring).FirstCrystal, Barrel.Ring(ring).PhiCount));
        }
        return all;
    }

    [Fact]
    public void An_empty_detector_reads_gaussian_noise_of_the_configured_width()
    {
        (Readout readout, CrystalEnergies deposits, _) = Build(new SimulationSettings { DeadFraction = 0, NoisePerCrystal = 0.04 });
        readout.StartEvent(deposits, 0xABCDEF, 0);
        double[] values = [.. ReadAll(readout).Select(v => (double)v)];
        int n = values.Length;
        Assert.Equal(0, Stat.Mean(values), 4 * 0.04 / Math.Sqrt(n));
        Assert.Equal(0.04, Math.Sqrt(Stat.Variance(values)), 0.04 * 4 / Math.Sqrt(2.0 * n));
        // Another event, other noise.
        readout.StartEvent(deposits, 0xABCDF0, 0);
        float[] other = ReadAll(readout);
        Assert.True(Enumerable.Range(0, n).Count(i => other[i] == values[i]) < 10);
    }

    [Fact]
    public void A_crystal_reads_the_same_whatever_the_read_starts_at()
    {
        (Readout readout, CrystalEnergies deposits, _) = Build(new SimulationSettings { Pileup = 0 });
        deposits.Add(95 * 360 + 110, 12.5f);
        readout.StartEvent(deposits, 77, 40);
        const int Ring = 95;
        float[] row = new float[360];
        readout.ReadRow(Ring, 0, row);
        for (int start = -7; start < 370; start += 3)
        {
            var part = new float[23];
            readout.ReadRow(Ring, start, part);
            for (int i = 0; i < part.Length; i++)
            {
                Assert.Equal(row[Barrel.Ring(Ring).WrapPhi(start + i)], part[i]);
            }
        }
        Assert.Equal(row[110], readout.Measured(Ring, 110));
        Assert.Equal(row[359], readout.Measured(Ring, -1));
    }

    [Fact]
    public void Deposits_are_scaled_by_the_crystal_response_and_dead_crystals_read_zero()
    {
        var settings = new SimulationSettings { DeadFraction = 0.05, McMiscalibration = 0.02 };
        (Readout readout, CrystalEnergies deposits, DetectorConditions conditions) = Build(settings);
        readout.StartEvent(deposits, 5, 0);
        float[] noiseOnly = ReadAll(readout);
        var random = new Random(3);
        for (int i = 0; i < 2000; i++)
        {
            deposits.Add(random.Next(Barrel.CrystalCount), (float)(1 + 20 * random.NextDouble()));
        }
        readout.StartEvent(deposits, 5, 0);
        float[] withDeposits = ReadAll(readout);
        int dead = 0;
        for (int c = 0; c < Barrel.CrystalCount; c++)
        {
            if (conditions.IsDead(c))
            {
                Assert.Equal(0f, withDeposits[c]);
                dead++;
                continue;
            }
            Assert.Equal(deposits[c] * conditions.Response(c), withDeposits[c] - noiseOnly[c], 1e-5 * (1 + deposits[c]));
        }
        Assert.InRange(dead, 0.05 * 61200 - 4 * 54, 0.05 * 61200 + 4 * 54);
    }

    [Fact]
    public void Pile_up_adds_the_documented_in_time_energy_and_out_of_time_smearing()
    {
        // Per interaction a barrel crystal is hit with probability q = 0.0006, with an exponential of mean m = 0.15 GeV:
        // for 200 interactions p = 1 − e^(−0.12). In time: mean p·m, variance p·2m² − (p·m)². Out of time: zero mean,
        // variance 0.3 · p·2m² (Readout.OutOfTimeResidual).
        (Readout readout, CrystalEnergies deposits, _) = Build(new SimulationSettings { DeadFraction = 0, McMiscalibration = 0 });
        readout.StartEvent(deposits, 99, 0);
        float[] quiet = ReadAll(readout);
        readout.StartEvent(deposits, 99, 200);
        float[] busy = ReadAll(readout);
        double[] extra = [.. Enumerable.Range(0, quiet.Length).Select(i => (double)busy[i] - quiet[i])];
        const double M = 0.15;
        double p = 1 - Math.Exp(-200 * 0.0006);
        double variance = p * 2 * M * M - p * M * p * M + 0.3 * p * 2 * M * M;
        int n = extra.Length;
        Assert.Equal(p * M, Stat.Mean(extra), 4 * Math.Sqrt(variance / n));
        Assert.Equal(variance, Stat.Variance(extra), 0.05 * variance);
        // No interactions: nothing added.
        readout.StartEvent(deposits, 99, 0);
        Assert.Equal(quiet, ReadAll(readout));
        // The endcaps: 4 × the occupancy (their crystals cover 4 × the η–φ area) and the energy × cosh η.
        var geometry = new CalorimeterGeometry(endcap: true);
        CrystalRing ring = geometry.Ring(geometry.RingAt(2.2));
        (double occupancy, double mean) = Readout.PileupOf(ring);
        Assert.Equal(4 * 0.0006, occupancy, 1e-15);
        Assert.Equal(M * Math.Cosh(ring.EtaCentre), mean, 1e-12);
    }

    [Fact]
    public void Identification_returns_the_highest_working_point_passed()
    {
        var tight = new RecoObject { SigmaIEtaIEta = 0.009f, DEtaIn = 0.001f, DPhiIn = -0.01f, HOverE = 0.01f, EInvMinusPInv = 0.01f, RelIso = 0.02f };
        Assert.Equal(4, IdentificationCuts.Evaluate(tight, electron: true));
        // Working points are nested: failing one stops the count even if a tighter variable passes.
        Assert.Equal(2, IdentificationCuts.Evaluate(tight with { SigmaIEtaIEta = 0.0125f }, electron: true));
        Assert.Equal(3, IdentificationCuts.Evaluate(tight with { HOverE = 0.04f }, electron: true));
        Assert.Equal(1, IdentificationCuts.Evaluate(tight with { RelIso = 0.15f }, electron: true));
        Assert.Equal(0, IdentificationCuts.Evaluate(tight with { DPhiIn = 0.2f }, electron: true));
        Assert.Equal(0, IdentificationCuts.Evaluate(tight with { SigmaIEtaIEta = 0.02f }, electron: false));
        // Photons are not judged on track variables.
        Assert.Equal(4, IdentificationCuts.Evaluate(tight with { DEtaIn = 0.5f, DPhiIn = 3f, EInvMinusPInv = 9f }, electron: false));
    }
}
