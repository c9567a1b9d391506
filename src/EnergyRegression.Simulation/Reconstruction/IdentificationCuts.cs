namespace EnergyRegression.Simulation.Reconstruction;

/// <summary>
/// Cut-based electron identification with four working points (veto, loose, medium, tight), in the
/// style of CMS's cut-based ID (CMS-EGM-17-001, table 3; barrel values), retuned to this simulator's
/// own distributions so that real electrons pass tight about 80–90% of the time and fakes rarely do.
/// </summary>
internal static class IdentificationCuts
{
    private static readonly (double Sieie, double DEtaIn, double DPhiIn, double HOverE, double EInvMinusPInv, double RelIso)[] WorkingPoints =
    [
        (0.0140, 0.0060, 0.150, 0.10, 0.20, 0.20),  // veto
        (0.0128, 0.0050, 0.090, 0.07, 0.15, 0.12),  // loose
        (0.0120, 0.0040, 0.060, 0.05, 0.10, 0.08),  // medium
        (0.0115, 0.0032, 0.040, 0.035, 0.06, 0.06), // tight
    ];

    /// <summary>The highest working point passed: 0 fail, 1 veto, 2 loose, 3 medium, 4 tight.</summary>
    public static int Evaluate(in RecoObject o, bool electron)
    {
        int passed = 0;
        for (int wp = 0; wp < WorkingPoints.Length; wp++)
        {
            var cut = WorkingPoints[wp];
            bool pass = o.SigmaIEtaIEta < cut.Sieie && o.HOverE < cut.HOverE && o.RelIso < cut.RelIso &&
                (!electron || (Math.Abs(o.DEtaIn) < cut.DEtaIn && Math.Abs(o.DPhiIn) < cut.DPhiIn && Math.Abs(o.EInvMinusPInv) < cut.EInvMinusPInv));
            if (!pass)
            {
                break;
            }
            passed = wp + 1;
        }
        return passed;
    }
}
