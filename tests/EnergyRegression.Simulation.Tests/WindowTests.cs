namespace EnergyRegression.Simulation.Tests;

/// <summary>The crystal window stored per object: its layout, its centre, zero suppression, the barrel edge.</summary>
public class WindowTests
{
    private static void ForEachWindow(SimulationSettings settings, int events, Action<RecoObject, float[]> check)
    {
        int size = settings.WindowSize;
        Samples.Run(settings, events, e =>
        {
            Assert.True(e.Windows.Length >= e.Objects.Count * size * size);
            for (int i = 0; i < e.Objects.Count; i++)
            {
                check(e.Objects[i], e.Windows.AsSpan(i * size * size, size * size).ToArray());
            }
        });
    }

    [Theory]
    [InlineData(32)]
    [InlineData(7)]
    public void The_seed_is_at_the_centre_and_the_central_5x5_is_E5x5(int size)
    {
        var settings = new SimulationSettings { Process = SimulatedProcess.Zee, Pileup = 20, WindowSize = size };
        int half = size / 2, objects = 0;
        float threshold = (float)settings.CrystalThreshold;
        ForEachWindow(settings, 300, (o, window) =>
        {
            objects++;
            Assert.Equal(o.EMax, window[half * size + half]);
            double sum = 0;
            for (int row = half - 2; row <= half + 2; row++)
            {
                for (int column = half - 2; column <= half + 2; column++)
                {
                    sum += window[row * size + column];
                }
            }
            Assert.Equal(o.E5x5, sum, 1e-5 * (1 + Math.Abs(o.E5x5)));
            // Zero suppression outside the 5 × 5.
            for (int row = 0; row < size; row++)
            {
                for (int column = 0; column < size; column++)
                {
                    bool inCore = Math.Abs(row - half) <= 2 && Math.Abs(column - half) <= 2;
                    float value = window[row * size + column];
                    Assert.True(inCore || value == 0 || Math.Abs(value) >= threshold, $"({row}, {column}) = {value}");
                }
            }
        });
        Assert.True(objects > 300, $"{objects} objects");
    }

    [Theory]
    [InlineData(1.44, 1.4785)]
    [InlineData(-1.4785, -1.44)]
    public void Rows_beyond_the_barrel_are_empty(double etaLow, double etaHigh)
    {
        // Photons in the last barrel rings (|iη| 83–85): window rows past |iη| = 85 hold no crystal.
        var settings = new SimulationSettings
        {
            Process = SimulatedProcess.ParticleGun,
            Particle = GunParticle.Photon,
            TrackerMaterialScale = 0,
            EnergyRange = (30, 60),
            EtaRange = (etaLow, etaHigh),
            Pileup = 50,
            CrystalThreshold = 0,
            WindowSize = 32,
        };
        const int Size = 32, Half = 16;
        int objects = 0;
        ForEachWindow(settings, 200, (o, window) =>
        {
            objects++;
            // Barrel rings 0 … 169 are iη −85 … −1, 1 … 85; window rows are consecutive rings.
            int seedRing = o.SeedIEta > 0 ? o.SeedIEta + 84 : o.SeedIEta + 85;
            Assert.InRange(Math.Abs(o.SeedIEta), 80, 85);
            for (int row = 0; row < Size; row++)
            {
                int ring = seedRing + row - Half;
                bool exists = ring is >= 0 and < 170;
                ReadOnlySpan<float> line = window.AsSpan(row * Size, Size);
                if (exists)
                {
                    // With no threshold every existing crystal reads its noise: not all zero.
                    Assert.True(line.ContainsAnyExcept(0f), $"row {row} (ring {ring}) empty");
                }
                else
                {
                    Assert.False(line.ContainsAnyExcept(0f), $"row {row} (ring {ring}) beyond the barrel is not empty");
                }
            }
        });
        Assert.True(objects > 150, $"{objects} objects");
    }
}
