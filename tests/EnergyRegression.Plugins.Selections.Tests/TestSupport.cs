using EnergyRegression.Data;
using EnergyRegression.Physics;
using EnergyRegression.Testing;

namespace EnergyRegression.Plugins.Selections.Tests;

/// <summary>One hand-made electron.</summary>
public sealed record Ele(double Pt, double Eta, double Phi, int Charge, int Id = 4, bool Trig = true);

/// <summary>Builders of small batches and helpers to run a selection the way the event loop does.</summary>
internal static class Batches
{
    /// <summary>Events of NanoAOD-style electrons: Electron_pt/eta/phi/charge/cutBased/trigMatch and an event number.</summary>
    public static EventBatch Electrons(params Ele[][] events)
    {
        Ele[] all = events.SelectMany(e => e).ToArray();
        return new EventBatchBuilder(events.Length)
            .EventColumn("event", Enumerable.Range(0, events.Length).Select(e => (long)e).ToArray())
            .Collection("Electron", events.Select(e => e.Length).ToArray())
            .ObjectColumn("Electron", "Electron_pt", all.Select(x => (float)x.Pt).ToArray())
            .ObjectColumn("Electron", "Electron_eta", all.Select(x => (float)x.Eta).ToArray())
            .ObjectColumn("Electron", "Electron_phi", all.Select(x => (float)x.Phi).ToArray())
            .ObjectColumn("Electron", "Electron_charge", all.Select(x => x.Charge).ToArray())
            .ObjectColumn("Electron", "Electron_cutBased", all.Select(x => x.Id).ToArray())
            .ObjectColumn("Electron", "Electron_trigMatch", all.Select(x => x.Trig).ToArray())
            .Build();
    }

    /// <summary>
    /// Runs a selection on a batch as energyreg does, through EnergyRegression.Testing's harness: first on a batch of no
    /// events (which must work and add the same columns), then on <paramref name="batch"/>, its mask applied in place.
    /// Returns the selection's cut counts. The batch stays the caller's.
    /// </summary>
    public static IReadOnlyList<CutCount> Run(ISelection selection, EventBatch batch) =>
        new PluginHarness().Run(selection, [batch]).Cuts;

    public static float[] Floats(EventBatch batch, string column) => batch.GetColumn<float>(column).Values.ToArray();

    /// <summary>The massless pair mass of two electrons, from summed four-vectors (independent of the plugin's formula).</summary>
    public static double Mass(Ele a, Ele b) =>
        (LorentzVector.FromPtEtaPhiM((float)a.Pt, (float)a.Eta, (float)a.Phi, 0) + LorentzVector.FromPtEtaPhiM((float)b.Pt, (float)b.Eta, (float)b.Phi, 0)).M;

    /// <summary>The per-event counts of a collection.</summary>
    public static int[] Counts(EventBatch batch, string collection)
    {
        ObjectCollection c = batch.GetCollection(collection);
        return Enumerable.Range(0, batch.EventCount).Select(c.CountOf).ToArray();
    }
}

/// <summary>The shared ROOT test files (../shared/testdata/root from the repository root).</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Zmumu => Path.Combine(RepoRoot, "..", "shared", "testdata", "root", "uproot-Zmumu.root");

    public static string Hzz => Path.Combine(RepoRoot, "..", "shared", "testdata", "root", "uproot-HZZ.root");

    private static string FindRoot()
    {
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EnergyRegression.sln")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("EnergyRegression.sln not found above " + AppContext.BaseDirectory);
    }
}
