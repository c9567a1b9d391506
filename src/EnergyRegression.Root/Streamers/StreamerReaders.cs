using EnergyRegression.Root.Reading;

namespace EnergyRegression.Root.Streamers;

/// <summary>
/// Builds <see cref="ValueReader"/>s from a file's own streamer infos (TStreamerInfo, io/doc/TFile/streamerinfo.md):
/// C++ type names (STL containers, strings, classes) and streamer elements (basic types, arrays, pointers, objects,
/// STL members, bases). Classes are compiled once per file; a class that cannot be read says why with a
/// <see cref="NotSupportedException"/> naming the class and member. Thread-safe.
/// </summary>
internal sealed class StreamerReaders
{
    private readonly Dictionary<string, List<RootStreamerInfo>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, RootStreamerInfo> _byChecksum = [];
    private readonly Dictionary<string, ObjectReader> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _failures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _compiling = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _slots;

    public StreamerReaders(IEnumerable<RootStreamerInfo> infos)
    {
        foreach (RootStreamerInfo info in infos)
        {
            string name = CppType.Normalize(info.ClassName);
            if (!_byName.TryGetValue(name, out List<RootStreamerInfo>? list))
            {
                _byName[name] = list = [];
            }
            list.Add(info);
            if (info.CheckSum != 0)
            {
                _byChecksum.TryAdd(info.CheckSum, info);
            }
        }
    }

    public bool HasChecksum(uint checksum) => _byChecksum.ContainsKey(checksum);

    /// <summary>The streamer info of <paramref name="className"/> at <paramref name="version"/> (the highest version when null or absent).</summary>
    public RootStreamerInfo? Find(string className, int? version = null)
    {
        if (!_byName.TryGetValue(CppType.Normalize(className), out List<RootStreamerInfo>? list))
        {
            return null;
        }
        return version is { } v && list.FirstOrDefault(i => i.ClassVersion == v) is { } exact ? exact : list.MaxBy(i => i.ClassVersion);
    }

    /// <summary>A reader of a value of C++ type <paramref name="typeName"/>; <paramref name="header"/>: as a member or a branch's entry (STL and std::string carry a header), not inside a container.</summary>
    public ValueReader ForType(string typeName, bool header)
    {
        lock (_lock)
        {
            return TypeReader(CppType.Normalize(typeName), header);
        }
    }

    /// <summary>
    /// A reader of member <paramref name="element"/> of <paramref name="ownerClass"/> on a branch of its own (a split
    /// object's or a split collection's member). A pointer array's counter values come from another branch: they are
    /// to be put in slot <paramref name="counterSlot"/> (−1 when the member needs none) before each read.
    /// </summary>
    public ValueReader ForMember(RootStreamerElement element, string ownerClass, out int counterSlot)
    {
        lock (_lock)
        {
            int slot = -1;
            ValueReader reader = ElementReader(element, ownerClass, _ => slot = NewSlot());
            counterSlot = slot;
            return reader;
        }
    }

    public int NewSlot() => Interlocked.Increment(ref _slots) - 1;

    public ObjectReader Object(string className)
    {
        lock (_lock)
        {
            return ObjectOf(CppType.Normalize(className));
        }
    }

    /// <summary>
    /// The reader of <paramref name="className"/> whose fields are those of version <paramref name="version"/> (a branch's
    /// fClassVersion), or of the highest version the file describes when it has no such version.
    /// </summary>
    public ObjectReader Object(string className, int version)
    {
        lock (_lock)
        {
            string name = CppType.Normalize(className);
            ObjectReader latest = ObjectOf(name);
            if (version <= 0 || latest.Primary.Version == version || Find(name, version)?.ClassVersion != version)
            {
                return latest;
            }
            string key = $"{name}@{version}";
            if (!_objects.TryGetValue(key, out ObjectReader? reader))
            {
                _objects[key] = reader = CompileClass(name, Find(name, version)!);
            }
            return reader;
        }
    }

    /// <summary>Compiles <paramref name="className"/> version <paramref name="version"/> (or checksum) onto an existing record form, by member name.</summary>
    public ObjectPlan PlanInto(string className, int version, uint checksum, RecordForm target)
    {
        lock (_lock)
        {
            RootStreamerInfo? info = checksum != 0 && _byChecksum.TryGetValue(checksum, out RootStreamerInfo? byChecksum)
                ? byChecksum
                : _byName.TryGetValue(className, out List<RootStreamerInfo>? list) ? list.FirstOrDefault(i => i.ClassVersion == version) : null;
            if (className == "TObject")
            {
                return TObjectPlan(target);
            }
            if (info is null)
            {
                throw new NotSupportedException($"unsupported: the file has no streamer info for class {className} version {version}");
            }
            var fields = new FieldMap(target);
            List<PlanStep> steps = Members(info, fields, keepTObject: true);
            return new ObjectPlan(className, info.ClassVersion, info.CheckSum, steps, fields.Missing());
        }
    }

    private ObjectReader ObjectOf(string name)
    {
        if (_objects.TryGetValue(name, out ObjectReader? known))
        {
            return known;
        }
        if (_failures.TryGetValue(name, out string? why))
        {
            throw new NotSupportedException(why);
        }
        if (!_compiling.Add(name))
        {
            throw new NotSupportedException($"unsupported: class {name} contains itself (through its members), so its values have no fixed depth");
        }
        try
        {
            ObjectReader reader = CompileClass(name);
            _objects[name] = reader;
            return reader;
        }
        catch (NotSupportedException e)
        {
            _failures[name] = e.Message;
            throw;
        }
        finally
        {
            _compiling.Remove(name);
        }
    }

    private ObjectReader CompileClass(string name)
    {
        if (name == "TObject")
        {
            var tobject = new RecordForm([("fUniqueID", new LeafForm(ValueKind.UInt32)), ("fBits", new LeafForm(ValueKind.UInt32))]);
            return new ObjectReader(this, name, tobject, TObjectPlan(tobject));
        }
        RootStreamerInfo info = Find(name) ?? BuiltIn(name) ?? PairInfo(name)
            ?? throw new NotSupportedException($"unsupported: the file has no streamer info for class {name}");
        return CompileClass(name, info);
    }

    private ObjectReader CompileClass(string name, RootStreamerInfo info)
    {
        var fields = new FieldBuilder();
        List<PlanStep> steps = Members(info, fields, keepTObject: false);
        if (fields.Count == 0 && fields.SawTObject)
        {
            // A class with nothing but its TObject part keeps fUniqueID and fBits as its values.
            fields = new FieldBuilder();
            steps = Members(info, fields, keepTObject: true);
        }
        var form = new RecordForm(fields.Fields);
        return new ObjectReader(this, name, form, new ObjectPlan(name, info.ClassVersion, info.CheckSum, steps, []));
    }

    /// <summary>TObject itself: its version was read by the caller (<see cref="ObjectReader"/>, <see cref="PointerReader"/>).</summary>
    private static ObjectPlan TObjectPlan(RecordForm target) =>
        new("TObject", 1, 0, [new TObjectStep(target.IndexOf("fUniqueID"), target.IndexOf("fBits"), withVersion: false)], []);

    /// <summary>TNamed when the file does not describe it (TNamed::Streamer: TObject, fName, fTitle).</summary>
    private static RootStreamerInfo? BuiltIn(string name) => name == "TNamed"
        ? new RootStreamerInfo("TNamed", 1, 0,
        [
            new RootStreamerElement("TStreamerBase", "TObject", "", TypeCodes.TObject, "BASE", 0, [], null, 0, 0, 1),
            new RootStreamerElement("TStreamerString", "fName", "", TypeCodes.TString, "TString", 24, [], null, 0, 0, 0),
            new RootStreamerElement("TStreamerString", "fTitle", "", TypeCodes.TString, "TString", 24, [], null, 0, 0, 0),
        ])
        : null;

    /// <summary>
    /// std::pair&lt;K,V&gt; when the file does not describe it: members first and second of the template's types
    /// (as JSROOT's io.mjs createPairStreamer builds it; a std::string member streams as a plain TString).
    /// </summary>
    private static RootStreamerInfo? PairInfo(string name)
    {
        (string template, List<string> args) = CppType.Split(name);
        if (template != "pair" || args.Count != 2)
        {
            return null;
        }
        return new RootStreamerInfo(name, 0, 0, [.. args.Select((a, i) => Synthetic(i == 0 ? "first" : "second", a))]);
    }

    private static RootStreamerElement Synthetic(string member, string type)
    {
        string t = CppType.Normalize(type);
        if (CppType.Basic(t) is { } kind)
        {
            return new RootStreamerElement("TStreamerBasicType", member, "", CppType.CodeOf(kind), t, 0, [], null, 0, 0, 0);
        }
        if (CppType.IsString(t))
        {
            return new RootStreamerElement("TStreamerString", member, "", TypeCodes.TString, "TString", 0, [], null, 0, 0, 0);
        }
        int stl = CppType.StlCode(CppType.Split(t).Template);
        return stl != 0
            ? new RootStreamerElement("TStreamerSTL", member, "", TypeCodes.Stl, t, 0, [], null, stl, 0, 0)
            : new RootStreamerElement("TStreamerObjectAny", member, "", TypeCodes.Any, t, 0, [], null, 0, 0, 0);
    }

    /// <summary>The steps reading one version of a class (bases inline), its members' fields taken from <paramref name="fields"/>.</summary>
    private List<PlanStep> Members(RootStreamerInfo info, IFieldSink fields, bool keepTObject)
    {
        // Counters of pointer arrays (float* x; //[n]) may sit in a base class: slots are per compiled class.
        var counters = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string counter in CounterNames(info, 0))
        {
            counters.TryAdd(counter, NewSlot());
        }
        return Steps(info, fields, keepTObject, counters, 0);
    }

    private IEnumerable<string> CounterNames(RootStreamerInfo info, int depth)
    {
        if (depth > 32)
        {
            yield break;
        }
        foreach (RootStreamerElement e in info.Elements)
        {
            if (e.CountName is { Length: > 0 } c)
            {
                yield return c;
            }
            if (e.ElementClass == "TStreamerBase" && e.Name != "TObject" && (Find(e.Name, e.BaseVersion) ?? BuiltIn(e.Name)) is { } b)
            {
                foreach (string n in CounterNames(b, depth + 1))
                {
                    yield return n;
                }
            }
        }
    }

    private List<PlanStep> Steps(RootStreamerInfo info, IFieldSink fields, bool keepTObject, Dictionary<string, int> counters, int depth)
    {
        if (depth > 32)
        {
            throw new NotSupportedException($"unsupported: class {info.ClassName} has more than 32 levels of base classes");
        }
        var steps = new List<PlanStep>();
        foreach (RootStreamerElement e in info.Elements)
        {
            if (e.ElementClass == "TStreamerArtificial")
            {
                continue;
            }
            if (e.ElementClass == "TStreamerBase")
            {
                if (e.Name == "TObject")
                {
                    fields.SawTObject = true;
                    steps.Add(keepTObject
                        ? new TObjectStep(fields.FieldFor("fUniqueID", new LeafForm(ValueKind.UInt32)), fields.FieldFor("fBits", new LeafForm(ValueKind.UInt32)))
                        : new TObjectStep(-1, -1));
                    continue;
                }
                if (CppType.Normalize(e.Name) is { } arrayBase && TArrayKind(arrayBase) is { } arrayKind)
                {
                    // TArrayD as a base (TH1D): its values stream without a header of their own (TArrayD::Streamer).
                    var array = new TArrayReader(arrayKind);
                    steps.Add(new MemberStep("fArray", array, fields.FieldFor("fArray", array.Form)));
                    continue;
                }
                RootStreamerInfo baseInfo = Find(e.Name, e.BaseVersion) ?? BuiltIn(CppType.Normalize(e.Name))
                    ?? throw new NotSupportedException($"unsupported: class {info.ClassName} derives from {e.Name}, which the file has no streamer info for");
                steps.Add(new BaseStep(e.Name, baseInfo.ClassVersion, Steps(baseInfo, fields, keepTObject, counters, depth + 1), HasChecksum));
                continue;
            }
            ValueReader reader;
            try
            {
                reader = ElementReader(e, info.ClassName, name => counters.TryGetValue(name, out int slot) ? slot : -1, counters);
            }
            catch (NotSupportedException ex) when (!ex.Message.Contains(" of class ", StringComparison.Ordinal))
            {
                throw new NotSupportedException($"{ex.Message} (member {e.Name} of class {info.ClassName})", ex);
            }
            steps.Add(new MemberStep(e.Name, reader, fields.FieldFor(e.Name, reader.Form)));
        }
        return steps;
    }

    private ValueReader ElementReader(RootStreamerElement e, string owner, Func<string, int> counterSlot, Dictionary<string, int>? counters = null)
    {
        int code = e.TypeCode;
        IReadOnlyList<int> dims = e.Dimensions.Count > 0 ? e.Dimensions : [];
        string type = CppType.Normalize(e.TypeName);
        int slotForMe = counters is not null && counters.TryGetValue(e.Name, out int mine) ? mine : -1;
        switch (code)
        {
            case TypeCodes.CharStar:
                return new CharStarReader();
            case TypeCodes.Double32 or TypeCodes.Float16:
                return new PackedReader(PackedFloat.FromTitle(e.Title, code == TypeCodes.Float16));
            case > 0 and < TypeCodes.OffsetL:
                return new BasicReader(CppType.KindOfCode(code) ?? throw Unsupported(e, owner, $"basic type code {code}"), slotForMe);
            case > TypeCodes.OffsetL and < TypeCodes.OffsetP:
                return new FixedArrayReader(dims.Count > 0 ? dims : [Math.Max(1, ArrayLength(e))], Basic(code - TypeCodes.OffsetL, e, owner), header: false);
            case > TypeCodes.OffsetP and < TypeCodes.Object:
                {
                    string counter = e.CountName ?? throw Unsupported(e, owner, "a pointer array without a counter");
                    int slot = counterSlot(counter);
                    if (slot < 0)
                    {
                        throw Unsupported(e, owner, $"its counter '{counter}' is not a member of the class");
                    }
                    return new PointerArrayReader(Basic(code - TypeCodes.OffsetP, e, owner), slot, counter);
                }
            case TypeCodes.TString or TypeCodes.OffsetL + TypeCodes.TString:
                return dims.Count > 0 ? new FixedArrayReader(dims, new StringValueReader(false), header: true) : new StringValueReader(false);
            case TypeCodes.TObject or TypeCodes.TNamed:
                return ClassValue(type, e, owner);
            case TypeCodes.OffsetL + TypeCodes.TObject or TypeCodes.OffsetL + TypeCodes.TNamed:
                return new FixedArrayReader(dims, ClassValue(type, e, owner), header: true);
            case TypeCodes.Object or TypeCodes.Any or TypeCodes.ObjectPointerNotNull or TypeCodes.AnyPointerNotNull
                or TypeCodes.OffsetL + TypeCodes.Object or TypeCodes.OffsetL + TypeCodes.Any
                or TypeCodes.OffsetL + TypeCodes.ObjectPointerNotNull or TypeCodes.OffsetL + TypeCodes.AnyPointerNotNull:
                {
                    ValueReader value = ClassValue(type.TrimEnd('*'), e, owner);
                    return dims.Count > 0 ? new FixedArrayReader(dims, value, header: false) : value;
                }
            case TypeCodes.ObjectPointer or TypeCodes.AnyPointer or TypeCodes.OffsetL + TypeCodes.ObjectPointer or TypeCodes.OffsetL + TypeCodes.AnyPointer:
                {
                    ValueReader value = new PointerReader(ObjectFor(type.TrimEnd('*'), e, owner));
                    return dims.Count > 0 ? new FixedArrayReader(dims, value, header: false) : value;
                }
            case TypeCodes.Stl or TypeCodes.Streamer or TypeCodes.Stl + TypeCodes.OffsetL:
                {
                    ValueReader value = e.ElementClass == "TStreamerSTLstring" || e.StlType == TypeCodes.StlString || type == "string"
                        ? new StringValueReader(header: true)
                        : Wrap(e, owner, () => StlElement(e, type));
                    return dims.Count > 0 ? new FixedArrayReader(dims, value, header: false) : value;
                }
            case TypeCodes.StreamLoop:
                {
                    string counter = e.CountName ?? throw Unsupported(e, owner, "an object loop without a counter");
                    int slot = counterSlot(counter);
                    if (slot < 0)
                    {
                        throw Unsupported(e, owner, $"its counter '{counter}' is not a member of the class");
                    }
                    string item = type.TrimEnd('*');
                    ValueReader items = type.EndsWith("**", StringComparison.Ordinal)
                        ? new PointerReader(ObjectFor(item, e, owner))
                        : ClassValue(item, e, owner);
                    return new LoopReader(items, slot, counter);
                }
            default:
                throw Unsupported(e, owner, $"streamer type code {code} ({e.TypeName})");
        }
    }

    /// <summary>
    /// An STL member. A class that streams as a collection of its own (ATLAS's DataVector&lt;T&gt;: an element "This"
    /// of its own type) gets its container kind from fSTLtype and its items from the template argument, objects or
    /// pointers to objects as fCtype says.
    /// </summary>
    private ValueReader StlElement(RootStreamerElement e, string type)
    {
        (string template, List<string> args) = CppType.Split(type);
        if (args.Count == 0 && e.Title.StartsWith('<') && e.Title.IndexOf('>', StringComparison.Ordinal) is int close and > 1)
        {
            // A collection class without template arguments (xAOD::CutBookkeeperContainer_v1) names its items in the comment: "<xAOD::CutBookkeeper_v1> ...".
            args = [.. CppType.Split(CppType.Normalize("c" + e.Title[..(close + 1)])).Arguments];
        }
        if (CppType.StlCode(template) != 0 || e.StlType is < TypeCodes.StlVector or > TypeCodes.StlUnorderedMultiMap || args.Count == 0)
        {
            return TypeReader(type, header: true);
        }
        if (CppType.IsMap(e.StlType) && args.Count >= 2)
        {
            return new StlReader(type, TypeReader(args[0], header: false), TypeReader(args[1], header: false), header: true);
        }
        string item = args[0].TrimEnd('*').Trim();
        ValueReader items = e.ContainedType is TypeCodes.ObjectPointer or TypeCodes.AnyPointer || args[0].EndsWith('*')
            ? new PointerReader(ObjectOf(item))
            : TypeReader(item, header: false);
        return new StlReader(type, items, header: true);
    }

    private static int ArrayLength(RootStreamerElement e) => e.Dimensions.Aggregate(1, (a, d) => a * d);

    private static ValueReader Basic(int code, RootStreamerElement e, string owner) => code switch
    {
        TypeCodes.Double32 or TypeCodes.Float16 => new PackedReader(PackedFloat.FromTitle(e.Title, code == TypeCodes.Float16)),
        _ => new BasicReader(CppType.KindOfCode(code) ?? throw Unsupported(e, owner, $"array of basic type code {code}")),
    };

    private static NotSupportedException Unsupported(RootStreamerElement e, string owner, string what) =>
        new($"unsupported: member {e.Name} of class {owner} is {what}");

    private static ValueReader Wrap(RootStreamerElement e, string owner, Func<ValueReader> build)
    {
        try
        {
            return build();
        }
        catch (NotSupportedException ex) when (!ex.Message.Contains(" of class ", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"{ex.Message} (member {e.Name} of class {owner})", ex);
        }
    }

    private ObjectReader ObjectFor(string type, RootStreamerElement e, string owner) => (ObjectReader)Wrap(e, owner, () => ObjectOf(type));

    /// <summary>A class-typed member: special ROOT classes first, then STL types declared as objects, then the class's streamer info.</summary>
    private ValueReader ClassValue(string type, RootStreamerElement e, string owner) => Wrap(e, owner, () => ClassReader(type, header: true));

    private ValueReader ClassReader(string type, bool header)
    {
        switch (type)
        {
            case "TString":
                return new StringValueReader(false);
            case "string":
                return new StringValueReader(header);
            case "TRef":
                return new TRefReader();
            case "TRefArray":
                return new TRefArrayReader();
            case "TDatime":
                return new TDatimeReader();
            case "TClonesArray":
                throw new NotSupportedException("unsupported: a TClonesArray member (the class of its objects is only known from the data)");
            case "TObjArray" or "TList" or "THashList" or "TMap" or "TOrdCollection" or "TSeqCollection" or "TCollection" or "THashTable" or "TBtree":
                throw new NotSupportedException($"unsupported: a {type} (a collection of objects of any class)");
        }
        if (TArrayKind(type) is { } kind)
        {
            return new TArrayReader(kind);
        }
        if (CppType.StlCode(CppType.Split(type).Template) != 0)
        {
            return TypeReader(type, header);
        }
        if (Find(type) is { Elements: [{ Name: "This", ElementClass: "TStreamerSTL" } self] })
        {
            // A class streamed as a collection of its own (ATLAS's DataVector<T>): its entries are that collection.
            if (!_compiling.Add(type))
            {
                throw new NotSupportedException($"unsupported: class {type} contains itself (through its items), so its values have no fixed depth");
            }
            try
            {
                if (self.StlType is < TypeCodes.StlVector or > TypeCodes.StlUnorderedMultiMap
                    || CppType.Split(type).Arguments.Count == 0 && !self.Title.StartsWith('<'))
                {
                    throw new NotSupportedException($"unsupported: class {type} streams as a collection (fSTLtype {self.StlType}) of a type neither its name nor its comment gives");
                }
                return StlElement(self, type);
            }
            finally
            {
                _compiling.Remove(type);
            }
        }
        return ObjectOf(type);
    }

    private static ValueKind? TArrayKind(string type) => type switch
    {
        "TArrayC" => ValueKind.Int8,
        "TArrayS" => ValueKind.Int16,
        "TArrayI" => ValueKind.Int32,
        "TArrayL" or "TArrayL64" => ValueKind.Int64,
        "TArrayF" => ValueKind.Float32,
        "TArrayD" => ValueKind.Float64,
        _ => null,
    };

    private ValueReader TypeReader(string type, bool header)
    {
        if (type.EndsWith('*'))
        {
            string pointee = type.TrimEnd('*').Trim();
            if (CppType.Basic(pointee) is not null)
            {
                throw new NotSupportedException($"unsupported: {type} (a pointer to a basic type outside a class)");
            }
            return new PointerReader(ObjectOf(pointee));
        }
        if (CppType.Basic(type) is { } kind)
        {
            return new BasicReader(kind);
        }
        (string template, List<string> args) = CppType.Split(type);
        int stl = CppType.StlCode(template);
        if (stl == 0)
        {
            return ClassReader(type, header);
        }
        if (stl == TypeCodes.StlBitset)
        {
            return new StlReader(type, new BasicReader(ValueKind.Bool), header);
        }
        if (args.Count == 0)
        {
            throw new NotSupportedException($"unsupported: {type} without its item type");
        }
        if (CppType.IsMap(stl))
        {
            if (args.Count < 2)
            {
                throw new NotSupportedException($"unsupported: {type} without its value type");
            }
            string pairName = $"pair<{args[0]},{args[1]}>";
            return new StlReader(type, TypeReader(args[0], header: false), TypeReader(args[1], header: false), header, () => Object(pairName));
        }
        return new StlReader(type, TypeReader(args[0], header: false), header);
    }

    /// <summary>Where a class's members go: new fields (the class's own form), or the fields of an existing form.</summary>
    private interface IFieldSink
    {
        bool SawTObject { get; set; }

        int FieldFor(string name, Form form);
    }

    private sealed class FieldBuilder : IFieldSink
    {
        public List<(string Name, Form Form)> Fields { get; } = [];

        public int Count => Fields.Count;

        public bool SawTObject { get; set; }

        public int FieldFor(string name, Form form)
        {
            string unique = name;
            for (int k = 2; Fields.Any(f => f.Name == unique); k++)
            {
                unique = $"{name}_{k}"; // a member hiding a base class's member of the same name
            }
            Fields.Add((unique, form));
            return Fields.Count - 1;
        }
    }

    private sealed class FieldMap(RecordForm target) : IFieldSink
    {
        private readonly bool[] _set = new bool[target.Fields.Count];

        public bool SawTObject { get; set; }

        public int FieldFor(string name, Form form)
        {
            int i = target.IndexOf(name);
            if (i < 0 || _set[i])
            {
                return -1;
            }
            if (!SameShape(target.Fields[i].Form, form))
            {
                throw new NotSupportedException($"unsupported: member {name} changes its type between versions of the class");
            }
            _set[i] = true;
            return i;
        }

        public int[] Missing() => [.. Enumerable.Range(0, _set.Length).Where(i => !_set[i])];
    }

    private static bool SameShape(Form a, Form b) => (a, b) switch
    {
        (LeafForm x, LeafForm y) => x.Kind == y.Kind,
        (ListForm x, ListForm y) => SameShape(x.Content, y.Content),
        (RegularForm x, RegularForm y) => x.Size == y.Size && SameShape(x.Content, y.Content),
        (RecordForm x, RecordForm y) => x.Fields.Count == y.Fields.Count && x.Fields.Zip(y.Fields).All(p => p.First.Name == p.Second.Name && SameShape(p.First.Form, p.Second.Form)),
        _ => false,
    };
}
