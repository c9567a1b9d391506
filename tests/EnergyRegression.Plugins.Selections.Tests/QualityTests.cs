using EnergyRegression.Data;
using EnergyRegression.Plugins.Simulation;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>The quality cuts, one failing object per cut, and the dead-crystal map of the simulator.</summary>
public sealed class QualityTests
{
    /// <summary>One object: seed indices, η, energies, shower shapes; the defaults pass every cut.</summary>
    public sealed record Obj(int IEta = 40, int IPhi = 110, double Eta = 0.7, double Energy = 50, double True = 52,
        double EMax = 20, double E3x3 = 40, double E5x5 = 45, double R9 = 0.9, double Sieie = 0.009);

    private static EventBatch Objects(params Obj[] objects)
    {
        var batch = new EventBatch(1);
        batch.AddCollection("Electron", [objects.Length]);
        void Add<T>(string field, Func<Obj, T> value) where T : unmanaged
        {
            Span<T> values = batch.AddObjectColumn<T>("Electron", "Electron_" + field).Values;
            for (int i = 0; i < objects.Length; i++)
            {
                values[i] = value(objects[i]);
            }
        }
        Span<int> index = batch.AddObjectColumn<int>("Electron", "Electron_index").Values;
        for (int i = 0; i < objects.Length; i++)
        {
            index[i] = i;
        }
        Add("seedIEta", o => o.IEta);
        Add("seedIPhi", o => o.IPhi);
        Add("eta", o => (float)o.Eta);
        Add("energy", o => (float)o.Energy);
        Add("genEnergy", o => (float)o.True);
        Add("eMax", o => (float)o.EMax);
        Add("e3x3", o => (float)o.E3x3);
        Add("e5x5", o => (float)o.E5x5);
        Add("r9", o => (float)o.R9);
        Add("sieie", o => (float)o.Sieie);
        return batch;
    }

    public static TheoryData<string, Obj[], bool[]> Failures => new()
    {
        // Dead crystals at (10, 100), (1, 50) and (30, 360): within 2 crystals fails, 3 passes; no iη = 0; iφ wraps.
        { "dead_crystal", [new(IEta: 12, IPhi: 102), new(IEta: 13, IPhi: 100), new(IEta: -2, IPhi: 50), new(IEta: 30, IPhi: 2), new(IEta: -3, IPhi: 50)],
            [false, true, false, false, true] },
        // Supermodules are iφ 1-20, 21-40, ...: the crystals counted to the nearest boundary.
        { "supermodule_phi", [new(IPhi: 21), new(IPhi: 22), new(IPhi: 23), new(IPhi: 40), new(IPhi: 39), new(IEta: 90, IPhi: 21)],
            [false, false, true, false, false, true] },
        // Boundaries after |iη| 0 and 85.
        { "supermodule_eta", [new(IEta: 85), new(IEta: -84), new(IEta: 83), new(IEta: -1), new(IEta: 2), new(IEta: 3), new(IEta: -100)],
            [false, false, true, false, false, true, true] },
        { "eb_ee_transition", [new(Eta: 1.5), new(Eta: -1.5), new(Eta: 1.44), new(Eta: 1.57)], [false, false, true, true] },
        { "energy_response", [new(Energy: 5, True: 10), new(True: -1), new(Energy: 6.1, True: 10)], [false, false, true] },
        { "emax_over_e3x3", [new(EMax: 41), new(EMax: 39)], [false, true] },
        { "e3x3_over_e5x5", [new(E3x3: 20, E5x5: 45), new(E3x3: 23, EMax: 10, E5x5: 45)], [false, true] },
        { "r9", [new(R9: 2.5), new(R9: 1.9)], [false, true] },
        { "sieie", [new(Sieie: 0.02), new(Sieie: 0.0119)], [false, true] },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_cut_drops_what_fails_it_and_nothing_else(string cut, Obj[] objects, bool[] kept)
    {
        var plugin = new QualityPlugin(new QualityConfig { Cuts = [cut], DeadCrystals = [[10, 100], [1, 50], [30, 360]] });
        using EventBatch batch = Objects(objects);
        IReadOnlyList<CutCount> cuts = Batches.Run(plugin, batch);
        Assert.Equal(Enumerable.Range(0, objects.Length).Where(i => kept[i]), batch.GetColumn<int>("Electron_index").Values.ToArray());
        CutCount row = Assert.Single(cuts);
        Assert.Equal((objects.Length, kept.Count(k => k)), ((int)row.ObjectsIn, (int)row.ObjectsPassed));
    }

    [Fact]
    public void A_clean_object_passes_every_cut()
    {
        using EventBatch batch = Objects(new Obj(), new Obj(IEta: -40, IPhi: 250, Eta: -0.7));
        IReadOnlyList<CutCount> cuts = Batches.Run(new QualityPlugin(new QualityConfig { DeadCrystals = [[10, 100]] }), batch);
        Assert.Equal(9, cuts.Count);
        Assert.All(cuts, c => Assert.Equal((2L, 2L), (c.ObjectsIn, c.ObjectsPassed)));
    }

    [Fact]
    public void Shower_shape_and_truth_cuts_are_skipped_without_their_columns()
    {
        using var batch = new EventBatch(1);
        batch.AddCollection("Electron", [1]);
        batch.AddObjectColumn<int>("Electron", "Electron_seedIEta").Values[0] = 40;
        batch.AddObjectColumn<int>("Electron", "Electron_seedIPhi").Values[0] = 110;
        batch.AddObjectColumn<float>("Electron", "Electron_eta").Values[0] = 0.7f;
        IReadOnlyList<CutCount> cuts = Batches.Run(new QualityPlugin(new QualityConfig { DeadCrystals = [[1, 1]] }), batch);
        Assert.Equal(4, cuts.Count);
        Assert.Equal(1, batch.GetCollection("Electron").TotalCount);
    }

    [Fact]
    public void The_simulators_dead_crystal_map_reproduces_its_dead_crystals_in_the_5x5()
    {
        string map = Path.Combine(Path.GetTempPath(), $"dead-{Guid.NewGuid():N}.json");
        try
        {
            var reader = new SimulateReader(new SimulateReaderConfig { Events = 3000, Window = 5, DeadFraction = 0.02, DeadCrystalMap = map, Threads = 2 });
            QualityPlugin? plugin = null;
            long checkedObjects = 0, withDead = 0;
            foreach (EventBatch batch in reader.ReadBatches(1000, CancellationToken.None))
            {
                using (batch)
                {
                    // The map is written when reading starts.
                    plugin ??= new QualityPlugin(new QualityConfig { Cuts = ["dead_crystal"], DeadCrystalMap = map, DeadCrystalMinDistance = 3 });
                    var mask = new SelectionMask(batch);
                    int[] deadIn5x5 = batch.GetColumn<int>("Electron_deadIn5x5").Values.ToArray();
                    plugin.Select(batch, mask);
                    bool[] kept = mask.Objects("Electron").ToArray();
                    // The simulator counts dead crystals in the seed's 5x5: distance >= 3 keeps exactly those with none.
                    Assert.Equal(deadIn5x5.Select(n => n == 0), kept);
                    checkedObjects += kept.Length;
                    withDead += deadIn5x5.Count(n => n > 0);
                }
            }
            Assert.True(withDead > 50, $"only {withDead} of {checkedObjects} objects near dead crystals");
            string text = File.ReadAllText(map);
            Assert.Contains("\"crystals\":[[", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(map);
        }
    }

    [Fact]
    public void A_broken_map_file_is_an_input_error_naming_the_place()
    {
        string map = Path.Combine(Path.GetTempPath(), $"dead-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(map, "{\"crystals\": [[1, 2], [0, 5]]}");
            var plugin = new QualityPlugin(new QualityConfig { DeadCrystalMap = map });
            using EventBatch batch = Objects(new Obj());
            InputDataException e = Assert.Throws<InputDataException>(() => plugin.Select(batch, new SelectionMask(batch)));
            Assert.Equal((map, "crystals[1]"), (e.File, e.Place));
        }
        finally
        {
            File.Delete(map);
        }
    }
}
