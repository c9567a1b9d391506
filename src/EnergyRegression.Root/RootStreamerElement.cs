namespace EnergyRegression.Root;

/// <summary>
/// One base or member of a class as the file's streamer info describes it: a TStreamerElement subclass
/// (layout per ROOT's TStreamerElement::Streamer, class version ≥ 2: TNamed, fType, fSize, fArrayLength,
/// fArrayDim, fMaxIndex[5], fTypeName; TStreamerBase adds fBaseVersion, TStreamerBasicPointer and
/// TStreamerLoop fCountVersion/fCountName/fCountClass, TStreamerSTL fSTLtype/fCtype).
/// </summary>
/// <param name="ElementClass">TStreamerBase, TStreamerBasicType, TStreamerBasicPointer, TStreamerLoop, TStreamerObject, TStreamerObjectPointer, TStreamerObjectAny, TStreamerObjectAnyPointer, TStreamerString, TStreamerSTL, TStreamerSTLstring or TStreamerArtificial.</param>
/// <param name="Name">The member (or base class) name.</param>
/// <param name="Title">The member's comment; carries a Double32_t range "[xmin,xmax,nbits]" or a pointer array's "[counter]".</param>
/// <param name="TypeCode">fType, the TVirtualStreamerInfo::EReadWrite code (e.g. 5 float, 25 float[N], 65 TString, 300 STL).</param>
/// <param name="TypeName">The C++ type, e.g. "Float_t", "vector&lt;float&gt;", "TString", "BASE".</param>
/// <param name="Size">fSize: bytes of the member in memory.</param>
/// <param name="Dimensions">Fixed array dimensions (fMaxIndex[0..fArrayDim]); empty for scalars.</param>
/// <param name="CountName">The counter member of a pointer array (TStreamerBasicPointer, TStreamerLoop), else null.</param>
/// <param name="StlType">ROOT's STL container code (1 vector, 4 map, 6 set, 365 string, …) for TStreamerSTL, else 0.</param>
/// <param name="ContainedType">Type code of the STL container's items (TStreamerSTL fCtype), else 0.</param>
/// <param name="BaseVersion">The base class's version (TStreamerBase), else 0.</param>
public sealed record RootStreamerElement(
    string ElementClass, string Name, string Title, int TypeCode, string TypeName, int Size, IReadOnlyList<int> Dimensions,
    string? CountName, int StlType, int ContainedType, int BaseVersion);
