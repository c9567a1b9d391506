using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Format;

/// <summary>
/// The TFile header at offset 0 (layout per ROOT io/doc/TFile/header.md): "root", fVersion, fBEGIN,
/// then fEND, fSeekFree (32-bit, or 64-bit when fVersion ≥ 1000000), fNbytesFree, nfree, fNbytesName,
/// fUnits, fCompress, fSeekInfo (32/64-bit), fNbytesInfo, fUUID.
/// </summary>
internal sealed record FileHeader(int Version, int Begin, long End, long SeekFree, int NbytesFree, int NbytesName, byte Units,
    int Compress, long SeekInfo, int NbytesInfo)
{
    /// <summary>Bytes read to parse the header (the big layout with its UUID fits in 100).</summary>
    public const int MaxSize = 100;

    public const int BigFileVersion = 1000000;

    public bool IsBig => Version >= BigFileVersion;

    /// <summary>The ROOT version that wrote the file, e.g. 62004 for 6.20/04.</summary>
    public int RootVersion => IsBig ? Version - BigFileVersion : Version;

    public static FileHeader Parse(ReadOnlySpan<byte> data, string file, long fileLength)
    {
        var r = new BigEndianReader(data, file, "TFile header", 0);
        if (data.Length < 4 || data[0] != (byte)'r' || data[1] != (byte)'o' || data[2] != (byte)'o' || data[3] != (byte)'t')
        {
            throw new RootFormatException(file, "TFile header", 0, "not a ROOT file (missing \"root\" magic)");
        }
        r.Skip(4);
        int version = r.ReadInt32();
        int begin = r.ReadInt32();
        bool big = version >= BigFileVersion;
        long end = big ? r.ReadInt64() : r.ReadInt32();
        long seekFree = big ? r.ReadInt64() : r.ReadInt32();
        int nbytesFree = r.ReadInt32();
        r.ReadInt32(); // nfree
        int nbytesName = r.ReadInt32();
        byte units = r.ReadByte();
        int compress = r.ReadInt32();
        long seekInfo = big ? r.ReadInt64() : r.ReadInt32();
        int nbytesInfo = r.ReadInt32();
        if (version <= 0)
        {
            throw r.Error($"bad version {version}");
        }
        if (begin < 0 || begin > fileLength || nbytesName < 0 || nbytesName > 1 << 20)
        {
            throw new RootFormatException(file, "TFile header", 8, $"fBEGIN {begin} / fNbytesName {nbytesName} out of range (file length {fileLength})");
        }
        if (end > fileLength)
        {
            throw new RootFormatException(file, "TFile header", 12, $"truncated file: fEND is {end} but the file has {fileLength} bytes");
        }
        if (units is not (4 or 8))
        {
            throw new RootFormatException(file, "TFile header", 0, $"fUnits must be 4 or 8, found {units}");
        }
        return new FileHeader(version, begin, end, seekFree, nbytesFree, nbytesName, units, compress, seekInfo, nbytesInfo);
    }
}
