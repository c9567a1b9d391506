using EnergyRegression.Simulation.Randomness;

namespace EnergyRegression.Simulation.Transport;

/// <summary>A particle arriving at the calorimeter front face.</summary>
internal readonly record struct Impact(double Energy, double Eta, double Phi, bool Photon);

/// <summary>What the tracker saw of an electron: momentum at the vertex and after the last brem.</summary>
internal readonly record struct ElectronPath(double PtAtVertex, double PtAtCalorimeter, bool ReachedCalorimeter);

/// <summary>
/// The volume between the beam and the calorimeter: a 3.8 T solenoid field along z and the tracker
/// material in thin layers. In each layer an electron radiates bremsstrahlung photons drawn one by one from the
/// Bethe–Heitler spectrum, dN/dy = t/y · (4/3 − 4/3 y + y²) per t radiation lengths for a photon taking the fraction y
/// of the electron's energy (PDG "Passage of particles through matter", eq. 34.29, complete-screening limit), down to
/// 20 MeV; they leave along the electron's direction there, and the electron goes on with what is left. Soft photons
/// end as small deposits along the electron's bending path, the brem trail that a supercluster's thresholds partly
/// lose. Photons — the primary ones and the brem photons, in the material after the layer they
/// were radiated in — convert with probability 1 − exp(−7/9 t) into an e⁺e⁻ pair sharing the energy uniformly; the
/// legs bend apart, and a soft leg curls up before the calorimeter and is lost. Charged tracks are stepped in the transverse
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
    public const int MaterialLayers = 10;

    /// <summary>Softest brem photon followed (GeV); softer radiation is a negligible part of the loss (≈ 4/3 · 20 MeV per X0).</summary>
    public const double SoftestPhoton = 0.02;
    private const double StepCm = 1.5;

    private readonly double _materialScale;

    public Tracker(double materialScale) => _materialScale = materialScale;

    /// <summary>
    /// Tracker material in radiation lengths crossed by a particle from the origin at pseudorapidity η, beam pipe,
    /// pixels, strips, services and support included: a CMS-like shape, 0.4 X0 at η = 0 rising to 1.9 X0 at
    /// |η| = 1.55 (the barrel–endcap transition of the tracker, where the services leave), falling to 0.9 X0 at
    /// |η| = 2.5 (CMS, JINST 3 (2008) S08004, fig. 3.21, and the tracker material measured with conversions and nuclear
    /// interactions, CMS-PAS-TRK-10-003; smoothed).
    /// </summary>
    public double MaterialX0(double eta)
    {
        double a = Math.Abs(eta);
        double t = a < PeakEta ? 0.4 + 1.5 * Math.Pow(a / PeakEta, 2.2) : Math.Max(0.8, 1.9 - 1.05 * (a - PeakEta));
        return t * _materialScale;
    }

    /// <summary>|η| of the most material.</summary>
    public const double PeakEta = 1.55;

    /// <summary>Pair-production probability of a photon over <paramref name="x0"/> radiation lengths: 1 − exp(−7/9 t).</summary>
    public static double ConversionProbability(double x0) => 1 - Math.Exp(-7.0 / 9.0 * x0);

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
            if (layerX0 <= 0 || e <= SoftestPhoton)
            {
                continue;
            }
            // Photons from the envelope 4/3 · t/y (log-uniform y, Poisson count), thinned to the spectrum's shape.
            double yMin = SoftestPhoton / e;
            double logYMin = Math.Log(yMin);
            int candidates = random.Poisson(layerX0 * 4.0 / 3.0 * -logYMin);
            double unconverted = 0;
            int layersAhead = MaterialLayers - 1 - layer;
            for (int i = 0; i < candidates; i++)
            {
                double y = Math.Exp(logYMin * random.NextDouble());
                if (random.NextDouble() >= 1 - y + 0.75 * y * y)
                {
                    continue;
                }
                double photonEnergy = e * y;
                e -= photonEnergy;
                // Each photon may convert in the layers still ahead of it; the others leave together along the
                // electron's direction and land in one place.
                if (layersAhead > 0 && random.Bernoulli(ConversionProbability(layerX0 * layersAhead)))
                {
                    var photon = new HelixState(state.X, state.Y, state.Direction, state.Z, state.SinhEta);
                    double radius = LayerRadius(layer + 1 + random.NextInt(layersAhead));
                    photon.StepTo(radius, double.PositiveInfinity, 0);
                    if (photon.RadiusSquared < radius * radius * (1 - 1e-9))
                    {
                        unconverted += photonEnergy; // reached an endcap's face before the conversion radius
                    }
                    else
                    {
                        Convert(photon, photonEnergy, coshEta, ref random, impacts);
                    }
                }
                else
                {
                    unconverted += photonEnergy;
                }
            }
            if (unconverted > 0)
            {
                var photon = new HelixState(state.X, state.Y, state.Direction, state.Z, state.SinhEta);
                if (photon.StepTo(double.PositiveInfinity, double.PositiveInfinity, 0))
                {
                    impacts.Add(new Impact(unconverted, photon.Eta, photon.Phi, true));
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
        // Conversion point uniform in the material.
        double radius = MaterialInnerCm + (MaterialOuterCm - MaterialInnerCm) * random.NextDouble();
        double sinhEta = Math.Sinh(eta);
        var start = new HelixState(radius * Math.Cos(phi), radius * Math.Sin(phi), phi, radius * sinhEta, sinhEta);
        Convert(start, energy, Math.Cosh(eta), ref random, impacts);
        return true;
    }

    /// <summary>A photon converting where <paramref name="photon"/> is: two legs sharing its energy uniformly (no further brem).</summary>
    private static void Convert(HelixState photon, double energy, double coshEta, ref RandomStream random, List<Impact> impacts)
    {
        double share = random.NextDouble();
        AddLeg(photon, energy * share, 1, coshEta, impacts);
        AddLeg(photon, energy * (1 - share), -1, coshEta, impacts);
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

        public readonly double RadiusSquared => X * X + Y * Y;

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
