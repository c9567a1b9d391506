namespace EnergyRegression.Running;

/// <summary>
/// The seed of a named random stream (<c>IRunContext.CreateRandom</c>): FNV-1a over the chain seed's bytes and the name's
/// UTF-16 code units, stable across runs and platforms (unlike string.GetHashCode). One source file compiled into the host
/// (EnergyRegression.Core) and into EnergyRegression.Testing, so a plugin draws the same numbers in its unit tests as in
/// energyreg.
/// </summary>
internal static class StreamSeeds
{
    public static int Of(int seed, string streamName)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        uint hash = offsetBasis;
        foreach (byte b in BitConverter.GetBytes(seed))
        {
            hash = (hash ^ b) * prime;
        }
        foreach (char c in streamName)
        {
            hash = (hash ^ (byte)c) * prime;
            hash = (hash ^ (byte)(c >> 8)) * prime;
        }
        return (int)(hash & 0x7FFFFFFF);
    }
}
