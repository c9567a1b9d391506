namespace EnergyRegression.Testing;

/// <summary>
/// A small simulated electron sample for tests, with the column names of energyreg's simulator (docs/simulation.md,
/// "Columns") but a toy detector: fast, deterministic for a seed, no crystals. Each event has 0, 1 or 2 electrons
/// (probabilities 0.1, 0.2, 0.7); p_T = 20 GeV + an exponential of mean 15 GeV, |η| &lt; 2.5 uniform, φ uniform; the
/// true energy E = p_T cosh η. The raw energy is E × r(η) × (1 + σ(E) g) + 0.02 GeV × ρ, with a containment
/// r(η) = 0.97 − 0.02 |η|, a Gaussian g and the ECAL resolution σ(E) = 2.8 %/√E ⊕ 0.12 GeV/E ⊕ 0.3 %
/// (the CMS barrel's test-beam terms, CMS ECAL group, JINST 2 (2007) P04004); ρ is uniform in
/// [5, 40] GeV. So E_true / E_raw is a
/// smooth function of η and ρ that a regression can learn: a realistic shape for plugin tests, not a physics result.
/// </summary>
public static class SimulatedSample
{
    /// <summary>
    /// <paramref name="events"/> events with <c>run</c>, <c>luminosityBlock</c>, <c>event</c>, <c>rho</c> and the
    /// <c>Electron</c> collection: <c>Electron_pt</c>, <c>_eta</c>, <c>_phi</c>, <c>_charge</c>, <c>_energy</c> (raw) and
    /// <c>_genEnergy</c> (true). Add columns to the builder, or build it whole or in batches.
    /// </summary>
    public static EventBatchBuilder Electrons(int events, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        var random = new Random(seed);
        int[] counts = new int[events];
        float[] rho = new float[events];
        var pt = new List<float>();
        var eta = new List<float>();
        var phi = new List<float>();
        var charge = new List<int>();
        var raw = new List<float>();
        var truth = new List<float>();
        for (int e = 0; e < events; e++)
        {
            double u = random.NextDouble();
            counts[e] = u < 0.1 ? 0 : u < 0.3 ? 1 : 2;
            rho[e] = (float)(5 + 35 * random.NextDouble());
            for (int k = 0; k < counts[e]; k++)
            {
                double trueEta = 5 * random.NextDouble() - 2.5;
                double truePt = 20 - 15 * Math.Log(1 - random.NextDouble());
                double trueEnergy = truePt * Math.Cosh(trueEta);
                double sigma = Math.Sqrt(Square(0.028 / Math.Sqrt(trueEnergy)) + Square(0.12 / trueEnergy) + Square(0.003));
                double energy = trueEnergy * (0.97 - 0.02 * Math.Abs(trueEta)) * (1 + sigma * Gaussian(random)) + 0.02 * rho[e];
                eta.Add((float)trueEta);
                phi.Add((float)(Math.PI * (2 * random.NextDouble() - 1)));
                charge.Add(random.Next(2) == 0 ? -1 : 1);
                raw.Add((float)energy);
                pt.Add((float)(energy / Math.Cosh(trueEta)));
                truth.Add((float)trueEnergy);
            }
        }
        return new EventBatchBuilder(events)
            .EventColumn("run", Enumerable.Repeat(1, events).ToArray())
            .EventColumn("luminosityBlock", Enumerable.Range(0, events).Select(e => e / 1000 + 1).ToArray())
            .EventColumn("event", Enumerable.Range(1, events).Select(e => (long)e).ToArray())
            .EventColumn("rho", rho)
            .Collection("Electron", counts)
            .ObjectColumn("Electron", "Electron_pt", pt.ToArray())
            .ObjectColumn("Electron", "Electron_eta", eta.ToArray())
            .ObjectColumn("Electron", "Electron_phi", phi.ToArray())
            .ObjectColumn("Electron", "Electron_charge", charge.ToArray())
            .ObjectColumn("Electron", "Electron_energy", raw.ToArray())
            .ObjectColumn("Electron", "Electron_genEnergy", truth.ToArray());
    }

    private static double Square(double x) => x * x;

    // Box–Muller: one standard normal deviate.
    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
