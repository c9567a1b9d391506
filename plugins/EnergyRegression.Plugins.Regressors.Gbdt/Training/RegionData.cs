namespace EnergyRegression.Plugins.Regressors.Gbdt.Training;

/// <summary>
/// The training objects of one region: the feature matrix (rows × width, row-major), the target y, the loss
/// weight, and the raw and true energies for the metrics.
/// </summary>
internal sealed class RegionData(int width)
{
    private readonly List<float> _features = [];
    private readonly List<float> _target = [];
    private readonly List<float> _weight = [];
    private readonly List<double> _raw = [];
    private readonly List<double> _true = [];

    public int Width { get; } = width;

    public int Rows => _target.Count;

    public void Add(ReadOnlySpan<float> features, float target, float weight, double rawEnergy, double trueEnergy)
    {
        _features.AddRange(features);
        _target.Add(target);
        _weight.Add(weight);
        _raw.Add(rawEnergy);
        _true.Add(trueEnergy);
    }

    public ReadOnlySpan<float> Features => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_features);

    public ReadOnlySpan<float> Target => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_target);

    public ReadOnlySpan<float> Weight => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_weight);

    public ReadOnlySpan<double> RawEnergy => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_raw);

    public ReadOnlySpan<double> TrueEnergy => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_true);
}
