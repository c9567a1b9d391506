namespace EnergyRegression.Data;

/// <summary>
/// A jagged collection of objects (Electron, Photon, Probe, ...): per-event counts as offsets, so the
/// objects of event <c>e</c> are rows <c>Offsets[e] .. Offsets[e+1]</c> of every column of the collection.
/// </summary>
public sealed class ObjectCollection
{
    private int[] _offsets;

    internal ObjectCollection(string name, ReadOnlySpan<int> counts)
    {
        Name = name;
        _offsets = new int[counts.Length + 1];
        for (int e = 0; e < counts.Length; e++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(counts[e], nameof(counts));
            _offsets[e + 1] = checked(_offsets[e] + counts[e]);
        }
    }

    /// <summary>Collection name: the prefix of its columns (<c>Electron</c> for <c>Electron_pt</c>).</summary>
    public string Name { get; }

    /// <summary>Offsets into the object rows, one more than the number of events; starts at 0.</summary>
    public ReadOnlySpan<int> Offsets => _offsets;

    /// <summary>Total number of objects in the batch.</summary>
    public int TotalCount => _offsets[^1];

    /// <summary>The name of the implicit count column, NanoAOD style: <c>nElectron</c>.</summary>
    public string CountName => "n" + Name;

    /// <summary>Number of objects in event <paramref name="eventIndex"/>.</summary>
    public int CountOf(int eventIndex) => _offsets[eventIndex + 1] - _offsets[eventIndex];

    internal void KeepEvents(ReadOnlySpan<bool> eventMask, int keptEvents)
    {
        var offsets = new int[keptEvents + 1];
        for (int e = 0, k = 0; e < eventMask.Length; e++)
        {
            if (eventMask[e])
            {
                offsets[k + 1] = offsets[k] + CountOf(e);
                k++;
            }
        }
        _offsets = offsets;
    }

    internal void KeepObjects(ReadOnlySpan<bool> objectMask)
    {
        var offsets = new int[_offsets.Length];
        for (int e = 0; e + 1 < _offsets.Length; e++)
        {
            int count = 0;
            for (int i = _offsets[e]; i < _offsets[e + 1]; i++)
            {
                count += objectMask[i] ? 1 : 0;
            }
            offsets[e + 1] = offsets[e] + count;
        }
        _offsets = offsets;
    }
}
