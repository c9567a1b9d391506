using EnergyRegression.Root.IO;

namespace EnergyRegression.Root.Format;

/// <summary>
/// A TKey header (layout per ROOT's TKey::Streamer, io/doc/TFile/key.md): fNbytes, fVersion, fObjlen,
/// fDatime, fKeylen, fCycle, fSeekKey and fSeekPdir (int32, or int64 when fVersion &gt; 1000),
/// fClassName, fName, fTitle (TStrings).
/// </summary>
internal sealed record KeyHeader(int Nbytes, short Version, int ObjLen, short KeyLen, short Cycle, long SeekKey, long SeekPdir,
    string ClassName, string Name, string Title, long Position)
{
    public const int BigKeyVersion = 1000;

    /// <summary>Smallest possible header: 18 fixed bytes, two 32-bit seeks, three empty strings.</summary>
    public const int MinSize = 18 + 8 + 3;

    /// <summary>Bytes of the object on disk (compressed or not), after the header.</summary>
    public int CompressedLength => Nbytes - KeyLen;

    /// <summary>Reads a key header. <paramref name="lenientLength"/>: accept an fKeylen shorter than the header (keys-list entries, which are only listings).</summary>
    public static KeyHeader Parse(ref BigEndianReader r, long position, long fileLength, bool embedded = false, bool lenientLength = false)
    {
        int start = r.Position;
        int nbytes = r.ReadInt32();
        short version = r.ReadInt16();
        int objLen = r.ReadInt32();
        r.ReadUInt32(); // fDatime
        short keyLen = r.ReadInt16();
        short cycle = r.ReadInt16();
        bool big = version > BigKeyVersion;
        long seekKey = big ? r.ReadInt64() : r.ReadInt32();
        long seekPdir = big ? r.ReadInt64() : r.ReadInt32();
        string className = r.ReadTString();
        string name = r.ReadTString();
        string title = r.ReadTString();
        int parsed = r.Position - start;
        if (keyLen < parsed)
        {
            if (!lenientLength)
            {
                throw r.Error($"fKeylen {keyLen} is shorter than the {parsed} bytes of the key header");
            }
            // The object cannot start inside its header: it starts where the header ends.
            keyLen = (short)parsed;
        }
        if (embedded)
        {
            // A TBasket streamed inside its TBranch: fNbytes is not a record size there.
            return new KeyHeader(nbytes, version, objLen, keyLen, cycle, seekKey, seekPdir, className, name, title, position);
        }
        if (nbytes < keyLen || objLen < 0 || position + nbytes > fileLength)
        {
            throw r.Error($"key sizes out of range (fNbytes {nbytes}, fKeylen {keyLen}, fObjlen {objLen}, file length {fileLength})");
        }
        if (nbytes > keyLen && objLen == 0)
        {
            throw r.Error("fObjlen is 0 for a key with data");
        }
        return new KeyHeader(nbytes, version, objLen, keyLen, cycle, seekKey, seekPdir, className, name, title, position);
    }
}
