namespace EnergyRegression.Simulation.Showers;

/// <summary>
/// The energy deposited in every crystal during one event: a dense array the size of the detector
/// plus the list of crystals touched, so clearing costs only what the event used.
/// </summary>
internal sealed class CrystalEnergies(int crystalCount)
{
    private readonly float[] _energy = new float[crystalCount];
    private readonly List<int> _touched = [];

    public float this[int crystal] => _energy[crystal];

    public IReadOnlyList<int> Touched => _touched;

    public void Add(int crystal, float energy)
    {
        // A crystal whose sum returns to exactly 0 may be listed twice; clearing it twice is harmless.
        if (_energy[crystal] == 0)
        {
            _touched.Add(crystal);
        }
        _energy[crystal] += energy;
    }

    public void Clear()
    {
        foreach (int crystal in _touched)
        {
            _energy[crystal] = 0;
        }
        _touched.Clear();
    }
}
