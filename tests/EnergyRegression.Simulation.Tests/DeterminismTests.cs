using System.Reflection;
using System.Runtime.InteropServices;

namespace EnergyRegression.Simulation.Tests;

/// <summary>Event n depends on the settings and n only: not on threads, order, or the target reused.</summary>
public class DeterminismTests
{
    private const int Events = 400;

    /// <summary>Rich events: Z → ee with fakes, pile-up, material, dead crystals, data-like noise.</summary>
    private static readonly SimulationSettings Settings = new() { Process = SimulatedProcess.Zee, Pileup = 30, FakeElectronRate = 1, WindowSize = 16 };

    /// <summary>A deep copy of what an event holds, with the windows of its objects only.</summary>
    private sealed record Snapshot(long Entry, int Pileup, float Rho, (float, float, float) Z, GenParticle[] Gen, RecoObject[] Objects, float[] Windows)
    {
        public static Snapshot Of(SimulatedEvent e, int windowSize) => new(e.Entry, e.PileupInteractions, e.Rho, e.Z,
            [.. e.Gen], [.. e.Objects], e.Windows.AsSpan(0, e.Objects.Count * windowSize * windowSize).ToArray());
    }

    /// <summary>Field-by-field bit patterns of a struct (floats compared as bits, so −0 ≠ 0 and NaN = NaN).</summary>
    private static string Bits<T>(T value) where T : struct =>
        string.Join(",", typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance).Select(f => f.GetValue(value) switch
        {
            float x => BitConverter.SingleToInt32Bits(x).ToString(System.Globalization.CultureInfo.InvariantCulture),
            object o => o.ToString(),
            null => "null",
        }));

    private static void AssertIdentical(Snapshot expected, Snapshot actual)
    {
        Assert.Equal(expected.Entry, actual.Entry);
        Assert.Equal(expected.Pileup, actual.Pileup);
        Assert.Equal(BitConverter.SingleToInt32Bits(expected.Rho), BitConverter.SingleToInt32Bits(actual.Rho));
        Assert.Equal(expected.Z, actual.Z);
        Assert.Equal(expected.Gen.Select(Bits), actual.Gen.Select(Bits));
        Assert.Equal(expected.Objects.Select(Bits), actual.Objects.Select(Bits));
        Assert.True(MemoryMarshal.AsBytes(expected.Windows.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.Windows.AsSpan())),
            $"windows of entry {expected.Entry} differ");
    }

    private static Snapshot[] Sequential(SimulationSettings settings, int events)
    {
        var snapshots = new Snapshot[events];
        Samples.Run(settings, events, e => snapshots[e.Entry] = Snapshot.Of(e, settings.WindowSize));
        return snapshots;
    }

    [Fact]
    public void Parallel_and_sequential_simulation_give_identical_events()
    {
        Snapshot[] sequential = Sequential(Settings, Events);
        Assert.True(sequential.Sum(s => s.Objects.Length) > Events, "too few objects to compare");

        var parallel = new Snapshot[Events];
        using (var simulator = new EventSimulator(Settings))
        {
            // Entries in a scrambled order, four threads, one target per thread.
            int[] order = [.. Enumerable.Range(0, Events).Select(i => i * 151 % Events)];
            Parallel.For(0, Events, new ParallelOptions { MaxDegreeOfParallelism = 4 }, () => new SimulatedEvent(), (i, _, target) =>
            {
                simulator.Simulate(order[i], target);
                parallel[order[i]] = Snapshot.Of(target, Settings.WindowSize);
                return target;
            }, _ => { });
        }
        for (int i = 0; i < Events; i++)
        {
            AssertIdentical(sequential[i], parallel[i]);
        }

        // A fresh simulator and a fresh target for one entry give the same event again.
        using var fresh = new EventSimulator(Settings);
        var single = new SimulatedEvent();
        fresh.Simulate(Events - 1, single);
        AssertIdentical(sequential[Events - 1], Snapshot.Of(single, Settings.WindowSize));
    }

    [Fact]
    public void Another_seed_gives_other_events_on_the_same_detector()
    {
        // (The dead-crystal map itself is compared crystal by crystal in DetectorConditionsTests.)
        Snapshot[] a = Sequential(Settings, 50);
        Snapshot[] b = Sequential(Settings with { Seed = Settings.Seed + 1 }, 50);
        int sameEnergy = Enumerable.Range(0, 50).Count(i => a[i].Gen[0].Energy == b[i].Gen[0].Energy);
        Assert.Equal(0, sameEnergy);
        Assert.NotEqual(a.Select(s => s.Z), b.Select(s => s.Z));

        using var first = new EventSimulator(Settings);
        using var second = new EventSimulator(Settings with { Seed = 1 });
        Assert.Equal(first.DeadCrystals, second.DeadCrystals);
    }

    [Fact]
    public void Reusing_a_target_clears_the_previous_event()
    {
        using var simulator = new EventSimulator(Settings);
        var target = new SimulatedEvent();
        simulator.Simulate(3, target);
        var three = Snapshot.Of(target, Settings.WindowSize);
        var busy = new SimulatedEvent();
        for (int i = 0; i < 20; i++)
        {
            simulator.Simulate(i, busy);
        }
        simulator.Simulate(3, busy);
        AssertIdentical(three, Snapshot.Of(busy, Settings.WindowSize));
    }
}
