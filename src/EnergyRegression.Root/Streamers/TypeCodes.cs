namespace EnergyRegression.Root.Streamers;

/// <summary>
/// The streamer type codes of TStreamerElement::fType (ROOT's TVirtualStreamerInfo::EReadWrite, documented in
/// io/doc/TFile/streamerinfo.md) and the STL container codes of TStreamerSTL::fSTLtype (ROOT::ESTLType).
/// </summary>
internal static class TypeCodes
{
    public const int Base = 0;
    public const int Char = 1;
    public const int Short = 2;
    public const int Int = 3;
    public const int Long = 4;
    public const int Float = 5;
    public const int Counter = 6;
    public const int CharStar = 7;
    public const int Double = 8;
    public const int Double32 = 9;
    public const int LegacyChar = 10;
    public const int UChar = 11;
    public const int UShort = 12;
    public const int UInt = 13;
    public const int ULong = 14;
    public const int Bits = 15;
    public const int Long64 = 16;
    public const int ULong64 = 17;
    public const int Bool = 18;
    public const int Float16 = 19;

    /// <summary>Added to a basic code: a fixed-size array (<c>float x[3]</c>).</summary>
    public const int OffsetL = 20;

    /// <summary>Added to a basic code: a pointer to an array sized by another member (<c>float* x; //[n]</c>).</summary>
    public const int OffsetP = 40;

    public const int Object = 61;
    public const int Any = 62;
    public const int ObjectPointerNotNull = 63;
    public const int ObjectPointer = 64;
    public const int TString = 65;
    public const int TObject = 66;
    public const int TNamed = 67;
    public const int AnyPointerNotNull = 68;
    public const int AnyPointer = 69;
    public const int AnyPointerNoVTable = 70;
    public const int StlPointer = 71;
    public const int Stl = 300;
    public const int StlString = 365;
    public const int Streamer = 500;
    public const int StreamLoop = 501;

    // ROOT::ESTLType
    public const int StlVector = 1;
    public const int StlList = 2;
    public const int StlDeque = 3;
    public const int StlMap = 4;
    public const int StlMultiMap = 5;
    public const int StlSet = 6;
    public const int StlMultiSet = 7;
    public const int StlBitset = 8;
    public const int StlForwardList = 9;
    public const int StlUnorderedSet = 10;
    public const int StlUnorderedMultiSet = 11;
    public const int StlUnorderedMap = 12;
    public const int StlUnorderedMultiMap = 13;

    /// <summary>Bit 14 of an STL collection's version: its items were written member by member (TBufferFile::kStreamedMemberWise).</summary>
    public const int MemberWiseBit = 0x4000;

    /// <summary>TObject::kIsReferenced: a 2-byte process id follows fBits.</summary>
    public const uint IsReferenced = 1 << 4;

    /// <summary>TObject::kHasUUID (TRef): a UUID string follows instead of the process id.</summary>
    public const uint HasUuid = 1 << 5;

    /// <summary>TClonesArray::kBypassStreamer (bit 12 of fBits): the objects were written member-wise.</summary>
    public const uint BypassStreamer = 1 << 12;
}
