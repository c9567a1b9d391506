using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Transport;

/// <summary>A particle arriving at the calorimeter front face.</summary>
internal readonly record struct Impact(double Energy, double Eta, double Phi, bool Photon);

/// <summary>What the tracker saw of an electron: momentum at the vertex and after the last brem.</summary>
internal readonly record struct ElectronPath(double PtAtVertex, double PtAtCalorimeter, bool ReachedCalorimeter);

/// <summary>
/// The volume between the beam and the calorimeter: a 3.8 T solenoid field along z and the tracker
/// material. Electrons lose energy by bremsstrahlung in thin layers (Bethe–Heitler spectrum: the
/// surviving energy fraction z after t radiation lengths has −ln z ~ Gamma(t/ln 2); PDG "Passage of
/// particles through matter", and GEANT's GSF model), each layer's loss becoming a photon along the
/// electron's direction there. Photons convert with probability 1 − exp(−7/9 t) into an e⁺e⁻ pair
/// sharing the energy uniformly; the legs bend apart. Charged tracks are stepped in the transverse
/// plane (curvature 0.3·B/pT per metre) until they reach the barrel (r = 129 cm) or an endcap
/// (|z| = 315.4 cm).
/// </summary>
internal sealed class Tracker
{
    public const double FieldTesla = 3.8;
    public const double BarrelRadiusCm = 129.0;
    public const double EndcapZCm = 315.4;
    public const double MaterialInnerCm = 3.0;
    public const double MaterialOuterCm = 110.0;
    public const int MaterialLayers = 5;
    private const double StepCm = 1.5;

    private readonly double _materialScale;

    public Tracker(double materialScale) => _materialScale = materialScale;

    /// <summary>
    /// Tracker material in radiation lengths crossed by a particle from the origin at pseudorapidity
    /// η: a CMS-like shape (0.4 X0 at η = 0 rising to ≈ 1.6 X0 at |η| ≈ 1.5, falling to ≈ 1.1 X0 at
    /// |η| = 2.5; CMS tracker TDR / JINST 3 S08004 fig. 3.21, smoothed).
    /// </summary>
    public double MaterialX0(double eta)
    {
        double a = Math.Abs(eta);
        double t = a < 1.5 ? 0.4 + 1.2 * (a / 1.5) * (a / 1.5) : Math.Max(0.8, 1.6 - 0.5 * (a - 1.5));
        return t * _materialScale;
    }

    /// <summary>Layer radius of material layer <paramref name="layer"/> (material spread evenly in r).</summary>
    private static double LayerRadius(int layer) =>
        MaterialInnerCm + (MaterialOuterCm - MaterialInnerCm) * (layer + 0.5) / MaterialLayers;

    /// <summary>
    /// Transports an electron (charge ±1) from the origin: adds its own impact and its brem photons'
    /// (their own showers) to <paramref name="impacts"/>.
    /// </summary>
    public ElectronPath TransportElectron(double energy, double eta, double phi, int charge, ref RandomStream random, List<Impact> impacts)
    {
        double layerX0 = MaterialX0(eta) / MaterialLayers;
        double coshEta = Math.Cosh(eta);
        double pt = energy / coshEta;
        var state = new HelixState(0, 0, phi, 0, Math.Sinh(eta));
        double e = energy;
        for (int layer = 0; layer < MaterialLayers; layer++)
        {
            if (!state.StepTo(LayerRadius(layer), e / coshEta, charge))
            {
                return new ElectronPath(pt, e / coshEta, false);
            }
            if (layerX0 > 0)
            {
                double surviving = Math.Exp(-random.Gamma(layerX0 / Math.Log(2)));
                double photonEnergy = e * (1 - surviving);
                e *= surviving;
                if (photonEnergy > 0.02)
                {
                    // The photon leaves along the electron's current direction, in a straight line.
                    var photon = new HelixState(state.X, state.Y, state.Direction, state.Z, state.SinhEta);
                    if (photon.StepTo(double.PositiveInfinity, double.PositiveInfinity, 0))
                    {
                        impacts.Add(new Impact(photonEnergy, photon.Eta, photon.Phi, true));
                    }
                }
            }
        }
        if (!state.StepTo(double.PositiveInfinity, e / coshEta, charge))
        {
            return new ElectronPath(pt, e / coshEta, false);
        }
        impacts.Add(new Impact(e, state.Eta, state.Phi, false));
        return new ElectronPath(pt, e / coshEta, true);
    }

    /// <summary>Transports a photon: it reaches the calorimeter whole or converts into two bending electrons.</summary>
    public bool TransportPhoton(double energy, double eta, double phi, ref RandomStream random, List<Impact> impacts)
    {
        double material = MaterialX0(eta);
        double conversionProbability = 1 - Math.Exp(-7.0 / 9.0 * material);
        if (!random.Bernoulli(conversionProbability))
        {
            impacts.Add(new Impact(energy, eta, phi, true));
            return false;
        }
        // Conversion point uniform in the material; legs share the energy uniformly (no further brem).
        double radius = MaterialInnerCm + (MaterialOuterCm - MaterialInnerCm) * random.NextDouble();
        double share = random.NextDouble();
        double sinhEta = Math.Sinh(eta);
        double coshEta = Math.Cosh(eta);
        var start = new HelixState(radius * Math.Cos(phi), radius * Math.Sin(phi), phi, radius * sinhEta, sinhEta);
        AddLeg(start, energy * share, 1, coshEta, impacts);
        AddLeg(start, energy * (1 - share), -1, coshEta, impacts);
        return true;
    }

    /// <summary>A conversion leg bending from the conversion point to the calorimeter.</summary>
    private static void AddLeg(HelixState leg, double energy, int charge, double coshEta, List<Impact> impacts)
    {
        if (energy > 0.02 && leg.StepTo(double.PositiveInfinity, energy / coshEta, charge))
        {
            impacts.Add(new Impact(energy, leg.Eta, leg.Phi, false));
        }
    }

    /// <summary>
    /// φ at the barrel front of a track from the origin with transverse momentum <paramref name="pt"/>
    /// and no energy loss: φ − q·asin(0.3·B·R / (2 pT)) (a circle through the origin; R in metres).
    /// The reconstruction extrapolates the measured track this way.
    /// </summary>
    public static double PhiAtCalorimeter(double pt, double phi, int charge)
    {
        double s = 0.3 * FieldTesla * BarrelRadiusCm / 100 / (2 * pt);
        return s >= 1 ? double.NaN : phi - charge * Math.Asin(s);
    }

    /// <summary>A point moving along a helix: transverse position and direction, z, and dz/ds_T = sinh η.</summary>
    private struct HelixState(double x, double y, double direction, double z, double sinhEta)
    {
        public double X = x, Y = y, Direction = direction, Z = z;
        public readonly double SinhEta = sinhEta;

        public readonly double Eta => Math.Asinh(Z / Math.Sqrt(X * X + Y * Y));

        public readonly double Phi => Math.Atan2(Y, X);

        /// <summary>
        /// Moves until the transverse radius reaches <paramref name="radius"/> or the calorimeter
        /// (barrel radius or endcap |z|), whichever is first, in 1.5 cm chords with the last one cut
        /// to land on the surface. Returns false if the track curls up before. Charge 0: one straight line.
        /// </summary>
        public bool StepTo(double radius, double pt, int charge)
        {
            double target = Math.Min(radius, BarrelRadiusCm);
            double dx = Math.Cos(Direction), dy = Math.Sin(Direction);
            // Curvature in 1/cm: 0.3 B / pT per metre; zero for neutral particles.
            double turn = charge == 0 ? 0 : -charge * 0.3 * FieldTesla / pt / 100 * StepCm;
            double cosTurn = Math.Cos(turn), sinTurn = Math.Sin(turn);
            double previousR2 = X * X + Y * Y;
            for (int step = 0; step < 4000; step++)
            {
                // Straight-line distance to the target circle and to the endcap plane; finish exactly
                // when that is within a step (always, for a neutral particle).
                double along = X * dx + Y * dy;
                double r2 = X * X + Y * Y;
                double toCircle = -along + Math.Sqrt(Math.Max(0, along * along - r2 + target * target));
                double toEndcap = SinhEta == 0 ? double.PositiveInfinity : (Math.Sign(SinhEta) * EndcapZCm - Z) / SinhEta;
                double remaining = Math.Max(0, Math.Min(toCircle, toEndcap));
                if (charge == 0 || remaining <= StepCm)
                {
                    X += remaining * dx;
                    Y += remaining * dy;
                    Z += remaining * SinhEta;
                    Direction = Math.Atan2(dy, dx);
                    return true;
                }
                X += StepCm * dx;
                Y += StepCm * dy;
                Z += StepCm * SinhEta;
                (dx, dy) = (dx * cosTurn - dy * sinTurn, dx * sinTurn + dy * cosTurn);
                r2 = X * X + Y * Y;
                if (r2 < previousR2 - 1e-9)
                {
                    return false; // turning back inwards: curls up before the target
                }
                previousR2 = r2;
            }
            return false;
        }
    }
}
