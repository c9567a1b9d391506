using EnergyRegression.Simulation.Detector;

namespace EnergyRegression.Simulation.Tests;

/// <summary>The crystal grid: CMS barrel numbering (iη = ±1…±85, iφ = 1…360), gaps, the simplified endcap (41 rings of 180 crystals per side).</summary>
public class GeometryTests
{
    [Fact]
    public void The_barrel_has_170_rings_of_360_crystals()
    {
        var geometry = new CalorimeterGeometry(endcap: false);
        Assert.Equal(170, geometry.RingCount);
        Assert.Equal(61200, geometry.CrystalCount);
        Assert.Equal(85 * 0.0174, geometry.BarrelEtaMax, 1e-12);
        Assert.Equal(geometry.BarrelEtaMax, geometry.EtaMax);
        Assert.Equal(-85, geometry.Ring(0).IEta);
        Assert.Equal(-1, geometry.Ring(84).IEta);
        Assert.Equal(1, geometry.Ring(85).IEta);
        Assert.Equal(85, geometry.Ring(169).IEta);
        Assert.DoesNotContain(Enumerable.Range(0, 170), r => geometry.Ring(r).IEta == 0);
        for (int r = 0; r < 170; r++)
        {
            Assert.Equal(0.0174, geometry.Ring(r).EtaHigh - geometry.Ring(r).EtaLow, 1e-12);
            Assert.Equal(Subdetector.Barrel, geometry.Ring(r).Subdetector);
            Assert.Equal(2.2, geometry.Ring(r).CrystalSizeCm);
        }
    }

    [Fact]
    public void RingAt_finds_the_ring_containing_eta()
    {
        var geometry = new CalorimeterGeometry(endcap: false);
        Assert.Equal(11, geometry.Ring(geometry.RingAt(0.0174 * 10.5)).IEta);
        Assert.Equal(-1, geometry.Ring(geometry.RingAt(-1e-4)).IEta);
        Assert.Equal(1, geometry.Ring(geometry.RingAt(0)).IEta);
        Assert.Equal(-85, geometry.Ring(geometry.RingAt(-1.478)).IEta);
        Assert.Equal(-1, geometry.RingAt(1.479));
        Assert.Equal(-1, geometry.RingAt(2.0)); // no endcap built
        for (double eta = -1.4785; eta < 1.479; eta += 0.00731)
        {
            ref readonly CrystalRing ring = ref geometry.Ring(geometry.RingAt(eta));
            Assert.InRange(eta, ring.EtaLow - 1e-12, ring.EtaHigh);
        }
    }

    [Fact]
    public void The_endcap_rings_are_crystals_of_the_disc_at_315_cm()
    {
        var geometry = new CalorimeterGeometry(endcap: true);
        double step = 2 * Math.PI / 180;
        Assert.Equal(170 + 2 * 41, geometry.RingCount);
        Assert.Equal(170 * 360 + 2 * 41 * 180, geometry.CrystalCount);
        Assert.Equal(1.566 + 41 * step, geometry.EtaMax, 1e-12);
        Assert.Equal(-1, geometry.RingAt(1.5)); // EB/EE transition
        Assert.Equal(-1, geometry.RingAt(-1.55));
        Assert.Equal(-1, geometry.RingAt(3.0));
        foreach (double eta in new[] { 2.0, -2.0, 1.57, -2.98 })
        {
            ref readonly CrystalRing ring = ref geometry.Ring(geometry.RingAt(eta));
            Assert.Equal(Subdetector.Endcap, ring.Subdetector);
            Assert.InRange(eta, ring.EtaLow, ring.EtaHigh);
            // iη = ±(86 + ring number from the inner edge at 1.566); Δη = Δφ = 2π/180, 180 crystals.
            Assert.Equal(Math.Sign(eta) * (86 + (int)Math.Floor((Math.Abs(eta) - 1.566) / step)), ring.IEta);
            Assert.Equal(step, ring.DeltaEta, 1e-12);
            Assert.Equal(180, ring.PhiCount);
            // The disc at |z| = 315.4 cm has transverse radius z / sinh η there; a crystal spans Δφ of it.
            double mid = Math.Abs(0.5 * (ring.EtaLow + ring.EtaHigh));
            Assert.Equal(315.4 / Math.Sinh(mid) * step, ring.CrystalSizeCm, 1e-9);
        }
        // Between 1.6 and 2.6 the crystal fronts span CMS's 2.86 cm x–y crystals within a factor of two.
        for (double eta = 1.6; eta < 2.6; eta += 0.05)
        {
            Assert.InRange(geometry.Ring(geometry.RingAt(eta)).CrystalSizeCm, 2.86 / 2, 2.86 * 2);
        }
        // Crystal indices: every ring's block follows the previous one, and each crystal belongs to its ring.
        int expected = 0;
        for (int r = 0; r < geometry.RingCount; r++)
        {
            Assert.Equal(expected, geometry.Ring(r).FirstCrystal);
            Assert.Equal(0, geometry.Ring(r).FirstCrystal % 4); // the readout hashes crystals in groups of four
            Assert.Equal(r, geometry.RingOfCrystal(geometry.Ring(r).FirstCrystal));
            Assert.Equal(r, geometry.RingOfCrystal(geometry.Ring(r).FirstCrystal + geometry.Ring(r).PhiCount - 1));
            expected += geometry.Ring(r).PhiCount;
        }
        // The barrel keeps its numbering and its place between the endcaps.
        Assert.Equal(11, geometry.Ring(geometry.RingAt(0.0174 * 10.5)).IEta);
        Assert.Equal(-126, geometry.Ring(0).IEta);
        Assert.Equal(126, geometry.Ring(geometry.RingCount - 1).IEta);
    }

    [Fact]
    public void Phi_indices_and_centres()
    {
        var geometry = new CalorimeterGeometry(endcap: true);
        CrystalRing barrel = geometry.Ring(geometry.RingAt(0.3));
        double step = 2 * Math.PI / 360;
        Assert.Equal(0, barrel.PhiIndexAt(-Math.PI));
        Assert.Equal(359, barrel.PhiIndexAt(Math.PI - 1e-9));
        Assert.Equal(0, barrel.PhiIndexAt(Math.PI)); // φ = π is φ = −π
        Assert.Equal(110, barrel.PhiIndexAt(-Math.PI + 110.5 * step));
        Assert.Equal(180, barrel.PhiIndexAt(1e-9));
        Assert.Equal(179, barrel.PhiIndexAt(-1e-9));
        Assert.Equal(-Math.PI + 110.5 * step, barrel.PhiCentre(110), 1e-14);
        Assert.Equal(359, barrel.WrapPhi(-1));
        Assert.Equal(0, barrel.WrapPhi(360));
        Assert.Equal(5, barrel.WrapPhi(725));
        Assert.Equal(barrel.FirstCrystal + 359, barrel.Crystal(-1));
        // An endcap ring: 180 crystals of 2π/180.
        CrystalRing endcap = geometry.Ring(geometry.RingAt(2.0));
        Assert.Equal(90, endcap.PhiIndexAt(1e-9));
        Assert.Equal(89, endcap.PhiIndexAt(-1e-9));
        Assert.Equal(179, endcap.WrapPhi(-1));
        Assert.Equal(-Math.PI + 10.5 * 2 * step, endcap.PhiCentre(10), 1e-14);
    }

    [Fact]
    public void Supermodule_gaps_sit_every_20_crystals_in_phi()
    {
        var geometry = new CalorimeterGeometry(endcap: true);
        CrystalRing barrel = geometry.Ring(geometry.RingAt(0.3)), endcap = geometry.Ring(geometry.RingAt(2.0));
        for (int k = 0; k < 360; k++)
        {
            (double below, double above) = barrel.PhiGaps(k);
            Assert.Equal(k % 20 == 0 ? 0.15 : 0, below, 1e-15);
            Assert.Equal(k % 20 == 19 ? 0.15 : 0, above, 1e-15);
            Assert.Equal((0.0, 0.0), endcap.PhiGaps(k));
        }
    }

    [Fact]
    public void Module_gaps_sit_between_modules_and_at_eta_zero()
    {
        var geometry = new CalorimeterGeometry(endcap: false);
        double total = 0;
        for (int r = 0; r < geometry.RingCount; r++)
        {
            CrystalRing ring = geometry.Ring(r);
            int abs = Math.Abs(ring.IEta);
            // Towards larger |η| after |iη| = 25, 45, 65; towards smaller |η| before 26, 46, 66 and 1.
            double outer = abs is 25 or 45 or 65 ? 0.075 : 0;
            double inner = abs is 1 or 26 or 46 or 66 ? 0.075 : 0;
            Assert.Equal(ring.IEta > 0 ? inner : outer, ring.GapBelow, 1e-15);
            Assert.Equal(ring.IEta > 0 ? outer : inner, ring.GapAbove, 1e-15);
            total += ring.GapBelow + ring.GapAbove;
        }
        // Three module boundaries per half barrel and the one at η = 0, 0.15 crystals each.
        Assert.Equal(7 * 0.15, total, 1e-12);
    }
}
