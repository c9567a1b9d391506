using EnergyRegression.Data;
using EnergyRegression.Physics;
using EnergyRegression.Plugins.Simulation;
using Xunit.Abstractions;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>The selections on simulated Z → ee, judged against the simulator's own truth (docs/simulation.md).</summary>
public sealed class SimulatedZeeTests(ITestOutputHelper output)
{
    private static IEnumerable<EventBatch> Simulate(long events, double fakeRate = 0.3, int seed = 5) =>
        new SimulateReader(new SimulateReaderConfig { Process = "zee", Events = events, Seed = seed, Window = 5, FakeRate = fakeRate, Threads = 2 })
            .ReadBatches(500, CancellationToken.None);

    /// <summary>eIQR = (P75 − P25) / 1.349 (PHYSICS.md, "Metrics").</summary>
    private static double EffectiveIqr(IReadOnlyList<double> values) => (Quantile(values, 0.75) - Quantile(values, 0.25)) / 1.349;

    private static double Quantile(IReadOnlyList<double> values, double q)
    {
        double[] sorted = [.. values.Order()];
        double position = q * (sorted.Length - 1);
        int low = (int)position;
        return low + 1 < sorted.Length ? sorted[low] + (position - low) * (sorted[low + 1] - sorted[low]) : sorted[low];
    }

    [Fact]
    public void K_matching_keeps_prompt_electrons_and_drops_injected_fakes()
    {
        var plugin = new KMatchPlugin(new KMatchConfig());
        long prompt = 0, fakes = 0, promptKept = 0, fakesKept = 0, sameParticle = 0;
        foreach (EventBatch batch in Simulate(3000, fakeRate: 1.0))
        {
            using (batch)
            {
                // The simulator's truth link, read before the selection: -1 for the injected fakes.
                int[] truth = batch.GetColumn<int>("Electron_genElectronIdx").Values.ToArray();
                prompt += truth.Count(i => i >= 0);
                fakes += truth.Count(i => i < 0);
                Batches.Run(plugin, batch);
                int[] kept = batch.GetColumn<int>("Electron_genElectronIdx").Values.ToArray();
                int[] matched = batch.GetColumn<int>("Electron_matchIdx").Values.ToArray();
                promptKept += kept.Count(i => i >= 0);
                fakesKept += kept.Count(i => i < 0);
                sameParticle += kept.Zip(matched).Count(x => x.First >= 0 && x.First == x.Second);
            }
        }
        double efficiency = (double)promptKept / prompt;
        output.WriteLine($"prompt {prompt}, kept {promptKept} ({efficiency:P2}); fakes {fakes}, kept {fakesKept}; same particle as the simulator's link {sameParticle}");
        Assert.True(fakes > 1000, $"only {fakes} fakes injected");
        Assert.True(efficiency > 0.95, $"k-matching kept {efficiency:P2} of prompt electrons");
        Assert.True(fakesKept <= fakes / 1000, $"{fakesKept} of {fakes} fakes kept");
        Assert.True(sameParticle >= 0.999 * promptKept, $"{sameParticle} of {promptKept} matched the simulator's particle");
    }

    [Fact]
    public void The_z_mass_label_reproduces_the_true_probe_energy_with_the_expected_spread()
    {
        var plugin = new TagAndProbePlugin(new TagAndProbeConfig());
        var response = new List<double>();
        var predicted = new List<double>();
        var ratio = new List<double>();
        foreach (EventBatch batch in Simulate(4000, fakeRate: 0))
        {
            using (batch)
            {
                Batches.Run(plugin, batch);
                ObjectCollection pairs = batch.GetCollection("Probe");
                ObjectCollection gen = batch.GetCollection("GenElectron");
                float[] label = Batches.Floats(batch, "Probe_energyLabel");
                float[] trueEnergy = Batches.Floats(batch, "Probe_genEnergy");
                int[] tagGen = batch.GetColumn<int>("Tag_genElectronIdx").Values.ToArray();
                float[] tagPt = Batches.Floats(batch, "Tag_pt");
                float[] genPt = Batches.Floats(batch, "GenElectron_pt");
                float[] zMass = Batches.Floats(batch, "GenZ_mass");
                for (int e = 0; e < batch.EventCount; e++)
                {
                    for (int k = pairs.Offsets[e]; k < pairs.Offsets[e + 1]; k++)
                    {
                        if (label[k] < 0 || trueEnergy[k] <= 0 || tagGen[k] < 0)
                        {
                            continue;
                        }
                        // The label scales the probe to M_Z with the tag's measured pT. From the truth: the true Z mass
                        // is not M_Z (Breit-Wigner) and the tag's pT is mismeasured, so expect
                        // label / E_true ≈ (M_Z / m_true)² · pT_tag,true / pT_tag,reco, angles being well measured.
                        double tagTruePt = genPt[gen.Offsets[e] + tagGen[k]];
                        double expected = Math.Pow(Kinematics.ZMass / zMass[e], 2) * tagTruePt / tagPt[k];
                        response.Add(label[k] / trueEnergy[k]);
                        predicted.Add(expected);
                        ratio.Add(label[k] / trueEnergy[k] / expected);
                    }
                }
            }
        }
        double median = Quantile(response, 0.5), spread = EffectiveIqr(response), expectedSpread = EffectiveIqr(predicted);
        double residual = EffectiveIqr(ratio);
        output.WriteLine($"{response.Count} labelled probes: median label/E_true {median:F4}, eIQR {spread:F4}; " +
            $"expected eIQR from the truth {expectedSpread:F4}; eIQR of label/(E_true · expected) {residual:F4}, median {Quantile(ratio, 0.5):F4}");
        Assert.True(response.Count > 1000, $"only {response.Count} labelled probes");
        Assert.InRange(median, 0.98, 1.02);
        Assert.InRange(spread / expectedSpread, 0.85, 1.15);
        Assert.True(residual < 0.1 * spread, $"per-probe residual {residual:F4} vs spread {spread:F4}");
    }
}
