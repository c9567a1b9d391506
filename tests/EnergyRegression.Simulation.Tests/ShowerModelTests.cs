using EnergyRegression.Simulation.Detector;
using EnergyRegression.Simulation.Randomness;
using EnergyRegression.Simulation.Showers;

namespace EnergyRegression.Simulation.Tests;

/// <summary>Showers deposited on the crystal grid: symmetry, the acceptance, soft deposits, photo-statistics.</summary>
public class ShowerModelTests
{
    private static readonly CalorimeterGeometry Barrel = new(endcap: false);

    private const int Ring = 95;
    private const int Phi = 110;

    private static int Crystal(int ring, int phi) => Barrel.Ring(ring).Crystal(phi);

    private static double PhiCentre(int phi) => Barrel.Ring(Ring).PhiCentre(phi);

    private static double EtaCentre(int ring) => Barrel.Ring(ring).EtaCentre;

    [Fact]
    public void A_shower_at_a_crystal_centre_is_symmetric()
    {
        // No per-crystal or per-shower smearing: the lateral profile alone, on square crystals.
        var model = new ShowerModel(Barrel, stochastic: 0, constant: 0);
        var deposits = new CrystalEnergies(Barrel.CrystalCount);
        var random = new RandomStream(1);
        Assert.True(model.Deposit(50, photon: true, EtaCentre(Ring), PhiCentre(Phi), ref random, deposits));
        float centre = deposits[Crystal(Ring, Phi)];
        float side = deposits[Crystal(Ring, Phi + 1)];
        Assert.True(centre > 0.7f * 50, $"centre crystal {centre}");
        foreach ((int dr, int dc) in new[] { (0, -1), (1, 0), (-1, 0) })
        {
            Assert.Equal(side, deposits[Crystal(Ring + dr, Phi + dc)], 1e-4 * side);
        }
        float corner = deposits[Crystal(Ring + 1, Phi + 1)];
        foreach ((int dr, int dc) in new[] { (1, -1), (-1, 1), (-1, -1) })
        {
            Assert.Equal(corner, deposits[Crystal(Ring + dr, Phi + dc)], 1e-4 * corner);
        }
        // Energy falls off with distance, and nothing lands beyond the 9 × 9 region.
        Assert.True(centre > side && side > corner && corner > deposits[Crystal(Ring + 2, Phi + 2)]);
        Assert.All(deposits.Touched, c => Assert.InRange(c, Crystal(Ring - 4, Phi - 4), Crystal(Ring + 4, Phi + 4)));
        Assert.Equal(81, deposits.Touched.Count);
    }

    [Fact]
    public void Showers_outside_the_crystals_deposit_nothing()
    {
        var model = new ShowerModel(Barrel, 0.028, 0.003);
        var deposits = new CrystalEnergies(Barrel.CrystalCount);
        var random = new RandomStream(2);
        Assert.False(model.Deposit(50, true, 1.5, 0.3, ref random, deposits));
        Assert.False(model.Deposit(0, true, 0.5, 0.3, ref random, deposits));
        Assert.False(model.Deposit(-3, true, 0.5, 0.3, ref random, deposits));
        Assert.Empty(deposits.Touched);
    }

    [Fact]
    public void A_soft_deposit_goes_to_the_crystal_hit()
    {
        var model = new ShowerModel(Barrel, stochastic: 0, constant: 0);
        var deposits = new CrystalEnergies(Barrel.CrystalCount);
        var random = new RandomStream(3);
        Assert.True(model.Deposit(0.15, false, EtaCentre(Ring) + 0.008, PhiCentre(Phi) - 0.008, ref random, deposits));
        Assert.Equal(Crystal(Ring, Phi), Assert.Single(deposits.Touched));
        Assert.Equal(0.15f, deposits[Crystal(Ring, Phi)], 1e-6f);
    }

    [Fact]
    public void Photo_statistics_add_a_squared_E_per_crystal()
    {
        // Per crystal a Gaussian of variance a²·E_crystal: the 3 × 3 sum has variance a²·E3x3 on top of
        // the shower-to-shower part, which the same showers without photo-statistics measure.
        const double A = 0.05, Energy = 40;
        const int Showers = 3000;
        var smeared = new ShowerModel(Barrel, A, 0);
        var plain = new ShowerModel(Barrel, 0, 0);
        var deposits = new CrystalEnergies(Barrel.CrystalCount);
        var withStatistics = new List<double>();
        var without = new List<double>();
        for (int i = 0; i < Showers; i++)
        {
            foreach ((ShowerModel model, List<double> sums) in new[] { (smeared, withStatistics), (plain, without) })
            {
                // The same random stream for both: the same longitudinal profile.
                var random = new RandomStream(4, (ulong)i);
                deposits.Clear();
                model.Deposit(Energy, true, EtaCentre(Ring), PhiCentre(Phi), ref random, deposits);
                double sum = 0;
                for (int dr = -1; dr <= 1; dr++)
                {
                    for (int dc = -1; dc <= 1; dc++)
                    {
                        sum += deposits[Crystal(Ring + dr, Phi + dc)];
                    }
                }
                sums.Add(sum);
            }
        }
        double[] differences = [.. withStatistics.Zip(without, (a, b) => a - b)];
        double expected = A * A * Stat.Mean(without);
        // The difference is the photo-statistics alone: mean 0, variance a²·E3x3 (σ of a variance: √(2/n)).
        Assert.Equal(0, Stat.Mean(differences), 4 * Math.Sqrt(expected / Showers));
        Assert.Equal(expected, Stat.Variance(differences), 4 * Math.Sqrt(2.0 / Showers) * expected);
    }
}
