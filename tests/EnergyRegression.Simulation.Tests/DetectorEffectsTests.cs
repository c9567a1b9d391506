namespace EnergyRegression.Simulation.Tests;

/// <summary>Energy lost in the cracks between supermodules and modules, and in dead crystals.</summary>
public class DetectorEffectsTests
{
    private sealed record Response(int SeedIEta, int SeedIPhi, int DeadIn5x5, double E5x5OverTrue);

    private static List<Response> Responses(SimulationSettings settings, int events)
    {
        var responses = new List<Response>(events);
        Samples.Run(settings, events, e =>
        {
            foreach (RecoObject o in e.Objects)
            {
                responses.Add(new Response(o.SeedIEta, o.SeedIPhi, o.DeadIn5x5, o.E5x5 / e.Gen[o.GenIndex].Energy));
            }
        });
        return responses;
    }

    [Fact]
    public void Crystals_at_supermodule_and_module_edges_respond_less()
    {
        List<Response> responses = Responses(Samples.BarrelPhotons(deadFraction: 0), 10000);
        Assert.True(responses.Count > 9500, $"{responses.Count} photons reconstructed");
        Assert.All(responses, r => Assert.Equal(0, r.DeadIn5x5));

        // φ: 36 supermodules of 20 crystals; position in the supermodule = (iφ − 1) mod 20.
        var byPhi = Enumerable.Range(0, 20).Select(k => responses.Where(r => (r.SeedIPhi - 1) % 20 == k).Select(r => r.E5x5OverTrue).ToList()).ToList();
        List<double> middle = [.. Enumerable.Range(5, 10).SelectMany(k => byPhi[k])];
        foreach (int edge in new[] { 0, 19 })
        {
            (double difference, double error) = Stat.DifferenceOfMeans(byPhi[edge], middle);
            Assert.True(difference < -6 * error && difference < -0.02, $"edge crystal {edge}: {difference:F4} ± {error:F4}");
        }
        // Crystals in the middle of a supermodule all respond alike (within 4 standard errors).
        foreach (int k in Enumerable.Range(5, 10))
        {
            (double difference, double error) = Stat.DifferenceOfMeans(byPhi[k], middle);
            Assert.True(Math.Abs(difference) < 4 * error, $"crystal {k}: {difference:F4} ± {error:F4}");
        }

        // η: module boundaries between |iη| 25|26, 45|46, 65|66, against rings well inside modules.
        List<double> boundary = [.. responses.Where(r => Math.Abs(r.SeedIEta) is 25 or 26 or 45 or 46 or 65 or 66).Select(r => r.E5x5OverTrue)];
        List<double> inside = [.. responses.Where(r => Math.Abs(r.SeedIEta) is (>= 8 and <= 18) or (>= 32 and <= 39) or (>= 52 and <= 59)).Select(r => r.E5x5OverTrue)];
        (double etaDifference, double etaError) = Stat.DifferenceOfMeans(boundary, inside);
        Assert.True(etaDifference < -4 * etaError, $"module boundaries: {etaDifference:F4} ± {etaError:F4}");
    }

    [Fact]
    public void A_dead_crystal_in_the_5x5_lowers_the_response()
    {
        List<Response> responses = Responses(Samples.BarrelPhotons(deadFraction: 0.003), 10000);
        List<double> withDead = [.. responses.Where(r => r.DeadIn5x5 > 0).Select(r => r.E5x5OverTrue)];
        List<double> clean = [.. responses.Where(r => r.DeadIn5x5 == 0).Select(r => r.E5x5OverTrue)];
        // About 25 × 0.3% of the seeds have a dead neighbour.
        double fraction = (double)withDead.Count / responses.Count;
        Assert.InRange(fraction, 0.03, 0.12);
        (double difference, double error) = Stat.DifferenceOfMeans(withDead, clean);
        Assert.True(difference < -5 * error && difference < -0.01, $"{difference:F4} ± {error:F4}");
    }
}
