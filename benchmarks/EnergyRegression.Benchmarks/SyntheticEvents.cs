using EnergyRegression.Data;

namespace EnergyRegression.Benchmarks;

/// <summary>
/// Synthetic electron events, generated once and copied into batches: 0–3 electrons per event (mean 1.2),
/// pt falling from 10 GeV, |eta| &lt; 2.5, and a 28×28 float crystal window per electron. Deterministic for a seed.
/// </summary>
public sealed class SyntheticEvents
{
    public const int WindowSide = 28;
    public const int WindowSize = WindowSide * WindowSide;

    // Distinct windows the electrons cycle through (the values do not matter, only that they are real floats).
    private const int DistinctWindows = 16;

    private static readonly Lock CacheLock = new();
    private static readonly Dictionary<(int, int), SyntheticEvents> Cache = [];

    private SyntheticEvents(int[] counts, int[] offsets, float[] pt, float[] eta, float[] phi, float[] energy, float[] rho, float[] windows)
    {
        Counts = counts;
        Offsets = offsets;
        Pt = pt;
        Eta = eta;
        Phi = phi;
        Energy = energy;
        Rho = rho;
        Windows = windows;
    }

    public int EventCount => Counts.Length;

    public int ElectronCount => Offsets[^1];

    public int[] Counts { get; }

    /// <summary>Offsets of each event's electrons (EventCount + 1 entries).</summary>
    public int[] Offsets { get; }

    public float[] Pt { get; }

    public float[] Eta { get; }

    public float[] Phi { get; }

    public float[] Energy { get; }

    public float[] Rho { get; }

    /// <summary><see cref="DistinctWindows"/> windows of <see cref="WindowSize"/> floats; electron i uses window i % 16.</summary>
    public float[] Windows { get; }

    /// <summary>The events of <paramref name="events"/> (cached: readers of the same size share them).</summary>
    public static SyntheticEvents Get(int events, int seed)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue((events, seed), out SyntheticEvents? data))
            {
                data = Generate(events, int.MaxValue, seed);
                Cache.Add((events, seed), data);
            }
            return data;
        }
    }

    /// <summary>Exactly <paramref name="electrons"/> electrons in as many events as it takes.</summary>
    public static SyntheticEvents WithElectrons(int electrons, int seed) => Generate(int.MaxValue, electrons, seed);

    private static SyntheticEvents Generate(int maxEvents, int maxElectrons, int seed)
    {
        // Benchmark data, not security: a seeded System.Random is what we want.
#pragma warning disable CA5394
        var random = new Random(seed);
        var counts = new List<int>();
        int total = 0;
        while (counts.Count < maxEvents && total < maxElectrons)
        {
            double u = random.NextDouble();
            int n = u < 0.25 ? 0 : u < 0.65 ? 1 : u < 0.90 ? 2 : 3;
            n = Math.Min(n, maxElectrons - total);
            counts.Add(n);
            total += n;
        }
        int[] offsets = new int[counts.Count + 1];
        for (int e = 0; e < counts.Count; e++)
        {
            offsets[e + 1] = offsets[e] + counts[e];
        }
        float[] pt = new float[total];
        float[] eta = new float[total];
        float[] phi = new float[total];
        float[] energy = new float[total];
        for (int i = 0; i < total; i++)
        {
            pt[i] = (float)(10.0 - (25.0 * Math.Log(1.0 - random.NextDouble())));
            eta[i] = (float)((random.NextDouble() * 5.0) - 2.5);
            phi[i] = (float)((random.NextDouble() * 2.0 * Math.PI) - Math.PI);
            energy[i] = (float)(pt[i] * Math.Cosh(eta[i]));
        }
        float[] rho = new float[counts.Count];
        for (int e = 0; e < rho.Length; e++)
        {
            rho[e] = (float)(15.0 + (10.0 * random.NextDouble()));
        }
        float[] windows = new float[DistinctWindows * WindowSize];
        for (int i = 0; i < windows.Length; i++)
        {
            windows[i] = (float)(random.NextDouble() * 0.5);
        }
#pragma warning restore CA5394
        return new SyntheticEvents([.. counts], offsets, pt, eta, phi, energy, rho, windows);
    }

    /// <summary>
    /// A batch of events [<paramref name="first"/>, first + count): collection <c>Electron</c> with pt, eta, phi,
    /// energy and a 28×28 window per electron, and the event column <c>rho</c>. The caller disposes it.
    /// </summary>
    public EventBatch CreateBatch(int first, int count, bool withWindows = true)
    {
        var batch = new EventBatch(count) { FirstEntry = first };
        try
        {
            batch.AddEventColumn<float>("rho").Values.CopyFrom(Rho.AsSpan(first, count));
            batch.AddCollection("Electron", Counts.AsSpan(first, count));
            int o0 = Offsets[first];
            int n = Offsets[first + count] - o0;
            batch.AddObjectColumn<float>("Electron", "Electron_pt").Values.CopyFrom(Pt.AsSpan(o0, n));
            batch.AddObjectColumn<float>("Electron", "Electron_eta").Values.CopyFrom(Eta.AsSpan(o0, n));
            batch.AddObjectColumn<float>("Electron", "Electron_phi").Values.CopyFrom(Phi.AsSpan(o0, n));
            batch.AddObjectColumn<float>("Electron", "Electron_energy").Values.CopyFrom(Energy.AsSpan(o0, n));
            if (withWindows)
            {
                Column<float> window = batch.AddObjectColumn<float>("Electron", "Electron_window", WindowSide, WindowSide);
                Span<float> values = window.Values;
                for (int i = 0; i < n; i++)
                {
                    int source = (o0 + i) % DistinctWindows;
                    Windows.AsSpan(source * WindowSize, WindowSize).CopyTo(values.Slice(i * WindowSize, WindowSize));
                }
            }
            return batch;
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }
}

internal static class SpanCopyExtensions
{
    /// <summary>Copies <paramref name="source"/> into the start of <paramref name="destination"/> (same length).</summary>
    public static void CopyFrom<T>(this Span<T> destination, ReadOnlySpan<T> source) => source.CopyTo(destination);
}
