using System.Text.Json;
using EnergyRegression.Hdf5.Format;

namespace EnergyRegression.Hdf5;

/// <summary>A group or dataset found by <see cref="Hdf5File.Walk()"/>.</summary>
/// <param name="Path">Absolute path, <c>/</c> for the root group.</param>
/// <param name="Depth">0 for the root group.</param>
/// <param name="Dataset">The dataset, or null for a group (or an object that cannot be opened).</param>
/// <param name="Problem">Why the object could not be opened (damaged, dangling link, missing external file), or null.</param>
/// <param name="Link">For a soft or external link: where it points (<c>soft link → /a/b</c>), else null.</param>
public sealed record Hdf5Node(string Path, int Depth, Hdf5Dataset? Dataset, string? Problem, string? Link = null);

/// <summary>
/// An HDF5 file opened for reading with this library's own reader (src/EnergyRegression.Hdf5/Format):
/// datasets by path, the object tree, attributes. Soft links are followed within the file, external links
/// into other files (found as HDF5 does: HDF5_EXT_PREFIX, then next to the linking file, then the path as
/// given). Every failure is an <see cref="Hdf5FormatException"/> naming the file and the object. Dispose to close.
/// </summary>
public sealed class Hdf5File : IDisposable
{
    private const int MaxLinkDepth = 16; // HDF5's default limit on soft and external links followed (H5L_NUM_LINKS)

    private readonly H5Source _source;
    private readonly Dictionary<string, H5Source?> _linked = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Hdf5Dataset> _datasets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Microsoft.Win32.SafeHandles.SafeFileHandle> _raw = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), Hdf5Dataset> _virtualSources = [];

    private Hdf5File(string path, H5Source source)
    {
        Path = path;
        _source = source;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>The superblock version (0–3).</summary>
    public int SuperblockVersion => _source.Superblock.Version;

    /// <summary>The size of the user block before the HDF5 data (0 when none).</summary>
    public long UserBlock => _source.Superblock.BaseAddress;

    /// <summary>The 8-byte HDF5 signature, at offset 0 (or 512, 1024, … after a user block).</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>True when the file starts with the HDF5 signature (no user block).</summary>
    public static bool HasSignature(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using FileStream stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Signature);
    }

    /// <summary>Opens a file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="Hdf5FormatException">Not an HDF5 file, or damaged.</exception>
    public static Hdf5File Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No such file: {path}", path);
        }
        return OpenChecked(path, () => new H5Source(path));
    }

    /// <summary>Opens a file held in memory, named <paramref name="path"/> in messages (for tests that mutate files).</summary>
    internal static Hdf5File Open(string path, byte[] bytes) => OpenChecked(path, () => new H5Source(path, bytes));

    private static Hdf5File OpenChecked(string path, Func<H5Source> open)
    {
        try
        {
            return new Hdf5File(path, open());
        }
        catch (Exception ex) when (ex is OverflowException or ArgumentException or IndexOutOfRangeException)
        {
            throw new Hdf5FormatException(path, "superblock", $"Its sizes are impossible ({ex.Message.TrimEnd('.')}): the file is damaged.", ex);
        }
    }

    /// <summary>Where a path leads: an object of some file, or why it leads nowhere.</summary>
    private readonly record struct Target(H5Source? Source, ulong Address, string? Problem, string? Link);

    private Target Resolve(string path) => _source.Checked(Normalize(path), () => Resolve(_source, Normalize(path), 0));

    private Target Resolve(H5Source source, string path, int depth)
    {
        ulong current = source.Superblock.RootObjectHeader;
        string[] parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string walked = "";
        string? linkText = null;
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] == ".")
            {
                continue;
            }
            H5ObjectHeader header = source.ObjectHeader(current);
            string groupPath = walked.Length == 0 ? "/" : walked;
            if (!H5Group.IsGroup(header))
            {
                return new Target(null, 0, $"{groupPath} is a dataset, not a group", null);
            }
            List<H5Link> links = source.Links(current, $"group {groupPath}");
            H5Link? link = links.FirstOrDefault(l => l.Name == parts[i]);
            walked += "/" + parts[i];
            if (link is null)
            {
                return new Target(null, 0, null, null);
            }
            bool last = i == parts.Length - 1;
            switch (link.Kind)
            {
                case H5LinkKind.Hard:
                    current = link.Address;
                    linkText = null;
                    break;
                case H5LinkKind.Soft:
                {
                    if (depth >= MaxLinkDepth)
                    {
                        return new Target(null, 0, $"more than {MaxLinkDepth} soft or external links in a row (a loop?)", null);
                    }
                    string target = link.Target.StartsWith('/') ? link.Target : (groupPath == "/" ? "/" : groupPath + "/") + link.Target;
                    Target t = Resolve(source, Normalize(target), depth + 1);
                    if (t.Source is null)
                    {
                        return new Target(null, 0, t.Problem ?? $"dangling soft link → {link.Target}", $"soft link → {link.Target}");
                    }
                    if (t.Source != source)
                    {
                        source = t.Source;
                    }
                    current = t.Address;
                    linkText = $"soft link → {link.Target}";
                    break;
                }
                case H5LinkKind.External:
                {
                    string text = $"external link → {link.File}:{link.Target}";
                    if (depth >= MaxLinkDepth)
                    {
                        return new Target(null, 0, $"more than {MaxLinkDepth} soft or external links in a row (a loop?)", text);
                    }
                    H5Source? other = OpenLinked(link.File, source.Path, out string? problem);
                    if (other is null)
                    {
                        return new Target(null, 0, problem, text);
                    }
                    Target t = Resolve(other, Normalize(link.Target), depth + 1);
                    if (t.Source is null)
                    {
                        return new Target(null, 0, t.Problem ?? $"dangling external link: {link.File} has no object {link.Target}", text);
                    }
                    source = t.Source;
                    current = t.Address;
                    linkText = text;
                    break;
                }
                default:
                    return new Target(null, 0, $"a {link.Target} is not supported", null);
            }
            if (last)
            {
                return new Target(source, current, null, linkText);
            }
        }
        return new Target(source, current, null, linkText);
    }

    /// <summary>
    /// The file an external link names, found as HDF5 does (H5Lcreate_external): an absolute path as is;
    /// else each directory of HDF5_EXT_PREFIX (colon-separated, <c>${ORIGIN}</c> = the linking file's
    /// directory), then the linking file's directory, then the path relative to the working directory.
    /// </summary>
    private H5Source? OpenLinked(string name, string linkingFile, out string? problem)
    {
        var candidates = new List<string>();
        string origin = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(linkingFile)) ?? ".";
        if (System.IO.Path.IsPathRooted(name))
        {
            candidates.Add(name);
            name = System.IO.Path.GetFileName(name);
        }
        if (Environment.GetEnvironmentVariable("HDF5_EXT_PREFIX") is { Length: > 0 } prefixes)
        {
            candidates.AddRange(prefixes.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => System.IO.Path.Combine(p.Replace("${ORIGIN}", origin, StringComparison.Ordinal), name)));
        }
        candidates.Add(System.IO.Path.Combine(origin, name));
        candidates.Add(name);
        foreach (string candidate in candidates)
        {
            string full = System.IO.Path.GetFullPath(candidate);
            if (_linked.TryGetValue(full, out H5Source? known))
            {
                problem = known is null ? $"external file {candidate} cannot be read" : null;
                return known;
            }
            if (!File.Exists(full))
            {
                continue;
            }
            if (full == System.IO.Path.GetFullPath(_source.Path))
            {
                problem = null;
                return _source;
            }
            try
            {
                var source = new H5Source(full);
                _linked[full] = source;
                problem = null;
                return source;
            }
            catch (Hdf5FormatException ex)
            {
                _linked[full] = null;
                problem = $"external file {candidate}: {ex.Detail}";
                return null;
            }
            catch (IOException ex)
            {
                problem = $"external file {candidate}: {ex.Message}";
                return null;
            }
        }
        problem = $"the external file {name} is not found (looked in: {string.Join(", ", candidates.Distinct())})";
        return null;
    }

    /// <summary>True when a path leads to a group or dataset (a dangling link does not).</summary>
    public bool Exists(string path) => Guard(path, () => Resolve(path).Source is not null);

    /// <summary>True when <paramref name="path"/> is a group.</summary>
    public bool IsGroup(string path) => Guard(path, () =>
    {
        Target t = Resolve(path);
        return t.Source is not null && H5Group.IsGroup(t.Source.ObjectHeader(t.Address));
    });

    /// <summary>Why the link at <paramref name="path"/> leads nowhere (dangling soft or external link), or null.</summary>
    public string? Problem(string path) => Guard(path, () => Resolve(path).Problem);

    /// <summary>The dataset at <paramref name="path"/>.</summary>
    /// <exception cref="Hdf5FormatException">Missing, not a dataset, a dangling link, or damaged.</exception>
    public Hdf5Dataset GetDataset(string path)
    {
        string p = Normalize(path);
        if (_datasets.TryGetValue(p, out Hdf5Dataset? known))
        {
            return known;
        }
        Hdf5Dataset result = Guard(p, () =>
        {
            Target t = Resolve(p);
            if (t.Source is null)
            {
                throw new Hdf5FormatException(Path, $"dataset {p}", t.Problem is null ? "There is no such dataset." : Capitalize(t.Problem) + ".");
            }
            H5ObjectHeader header = t.Source.ObjectHeader(t.Address);
            if (H5Group.IsGroup(header))
            {
                throw new Hdf5FormatException(Path, $"dataset {p}", "This is a group, not a dataset.");
            }
            return Hdf5Dataset.Create(this, t.Source, p, header);
        });
        _datasets[p] = result;
        return result;
    }

    /// <summary>The names of a group's links (groups, datasets, dangling links), sorted by name.</summary>
    public IReadOnlyList<string> Children(string groupPath)
    {
        string p = Normalize(groupPath);
        return Guard(p, () =>
        {
            Target t = Resolve(p);
            if (t.Source is null)
            {
                throw new Hdf5FormatException(Path, $"group {p}", t.Problem is null ? "There is no such group." : Capitalize(t.Problem) + ".");
            }
            H5ObjectHeader header = t.Source.ObjectHeader(t.Address);
            if (!H5Group.IsGroup(header))
            {
                throw new Hdf5FormatException(Path, $"group {p}", "This is a dataset, not a group.");
            }
            return (IReadOnlyList<string>)[.. t.Source.Links(t.Address, $"group {p}").Select(l => l.Name)];
        });
    }

    /// <summary>Every group and dataset, depth first from the root, groups before their members.</summary>
    public IEnumerable<Hdf5Node> Walk() => WalkFrom("/", 0, []);

    private IEnumerable<Hdf5Node> WalkFrom(string path, int depth, HashSet<(H5Source, ulong)> seen)
    {
        IReadOnlyList<string> children;
        string? problem = null;
        try
        {
            children = Children(path);
        }
        catch (Hdf5FormatException ex)
        {
            children = [];
            problem = ex.Detail;
        }
        if (problem is not null)
        {
            yield return new Hdf5Node(path, depth + 1, null, problem);
        }
        foreach (string name in children)
        {
            string child = path == "/" ? "/" + name : path + "/" + name;
            Target t = default;
            string? error = null;
            try
            {
                t = Resolve(child);
                error = t.Source is null ? t.Problem ?? "not found" : null;
            }
            catch (Hdf5FormatException ex)
            {
                error = ex.Detail;
            }
            if (error is not null)
            {
                yield return new Hdf5Node(child, depth + 1, null, error, t.Link);
                continue;
            }
            bool group;
            try
            {
                H5Source source = t.Source!;
                group = source.Checked(child, () => H5Group.IsGroup(source.ObjectHeader(t.Address)));
            }
            catch (Hdf5FormatException ex)
            {
                error = ex.Detail;
                group = false;
            }
            if (error is null && group)
            {
                yield return new Hdf5Node(child, depth + 1, null, null, t.Link);
                // A group reached twice (hard links to one group, links back up the tree) is listed, not entered again.
                if (seen.Add((t.Source!, t.Address)))
                {
                    foreach (Hdf5Node node in WalkFrom(child, depth + 1, seen))
                    {
                        yield return node;
                    }
                }
                continue;
            }
            Hdf5Dataset? dataset = null;
            if (error is null)
            {
                try
                {
                    dataset = GetDataset(child);
                }
                catch (Hdf5FormatException ex)
                {
                    error = ex.Detail;
                }
            }
            yield return new Hdf5Node(child, depth + 1, dataset, error, t.Link);
        }
    }

    /// <summary>The attributes of an object as text (numbers of every type, strings, enums, arrays of them), in file order.</summary>
    public IReadOnlyList<(string Name, string Value)> Attributes(string path)
    {
        string p = Normalize(path);
        return Guard(p, () =>
        {
            Target t = Resolve(p);
            if (t.Source is null)
            {
                return (IReadOnlyList<(string, string)>)[];
            }
            var result = new List<(string, string)>();
            foreach (H5Attribute attribute in H5Group.Attributes(t.Source, t.Source.ObjectHeader(t.Address), p))
            {
                result.Add((attribute.Name, AttributeText(t.Source, attribute, p)));
            }
            return result;
        });
    }

    /// <summary>A string attribute's value, or null when absent or not a string.</summary>
    public string? StringAttribute(string path, string name)
    {
        string p = Normalize(path);
        return Guard(p, () =>
        {
            Target t = Resolve(p);
            if (t.Source is null)
            {
                return null;
            }
            H5Attribute? attribute = H5Group.Attributes(t.Source, t.Source.ObjectHeader(t.Address), p).FirstOrDefault(a => a.Name == name);
            if (attribute is null || Hdf5Type.Of(attribute.Type).Kind != Hdf5TypeKind.String || attribute.Space.Elements != 1)
            {
                return null;
            }
            return Strings(t.Source, attribute, p)[0];
        });
    }

    /// <summary>An attribute's raw bytes and type, for readers of pickled or binary metadata (pandas).</summary>
    internal (Hdf5Type Type, byte[] Data, ulong Elements)? RawAttribute(string path, string name)
    {
        string p = Normalize(path);
        return Guard(p, () =>
        {
            Target t = Resolve(p);
            H5Attribute? a = t.Source is null ? null : H5Group.Attributes(t.Source, t.Source.ObjectHeader(t.Address), p).FirstOrDefault(a => a.Name == name);
            return a is null ? ((Hdf5Type, byte[], ulong)?)null : (Hdf5Type.Of(a.Type), a.Data, a.Space.Elements);
        });
    }

    private static string[] Strings(H5Source source, H5Attribute attribute, string path)
    {
        var type = Hdf5Type.Of(attribute.Type);
        int n = (int)attribute.Space.Elements;
        string[] result = new string[n];
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<byte> raw = attribute.Data.AsSpan(i * type.Size, type.Size);
            if (attribute.Type.Class == H5Class.String)
            {
                result[i] = type.FixedString(raw);
                continue;
            }
            var c = new H5Cursor(source, raw.ToArray(), $"{path}, attribute {attribute.Name}");
            uint length = c.U32();
            ulong collection = c.Offset();
            uint index = c.U32();
            result[i] = length == 0 ? "" : type.FixedString(source.GlobalHeapObject(collection, index, $"{path}, attribute {attribute.Name}")[..(int)length]);
        }
        return result;
    }

    private static string AttributeText(H5Source source, H5Attribute attribute, string path)
    {
        var type = Hdf5Type.Of(attribute.Type);
        if (attribute.Space.IsNull)
        {
            return $"(empty {type.Name})";
        }
        bool scalar = attribute.Space.IsScalar;
        int n = (int)attribute.Space.Elements;
        try
        {
            string[] values;
            switch (type.Kind)
            {
                case Hdf5TypeKind.String:
                    values = [.. Strings(source, attribute, path).Select(Quote)];
                    break;
                case Hdf5TypeKind.Number:
                {
                    values = new string[n];
                    for (int i = 0; i < n; i++)
                    {
                        string v = type.Format(attribute.Data, i * type.Size);
                        if (type.EnumMembers.Count > 0 && !type.IsBool && type.EnumMembers.FirstOrDefault(m => m.Value == v) is { Name: { } enumName })
                        {
                            v = enumName;
                        }
                        values[i] = v;
                    }
                    break;
                }
                default:
                    return $"({type.Name})";
            }
            return scalar && values.Length == 1 ? values[0] : "[" + string.Join(", ", values) + "]";
        }
        catch (Exception ex) when (ex is Hdf5FormatException or ArgumentException or InvalidOperationException)
        {
            return $"(unreadable: {ex.Message})";
        }
    }

    private static readonly JsonSerializerOptions _quoting = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string s) => JsonSerializer.Serialize(s, _quoting);

    /// <summary>Runs a lookup, naming the file and the object in anything that goes wrong.</summary>
    private T Guard<T>(string path, Func<T> action)
    {
        try
        {
            return action();
        }
        catch (Hdf5FormatException ex) when (ex.File != Path && ex.File != "?")
        {
            // Trouble inside an externally linked file: name both.
            throw new Hdf5FormatException(Path, Normalize(path), $"In the linked file {ex.File}: {ex.ObjectPath}: {ex.Detail}", ex);
        }
        catch (Hdf5FormatException)
        {
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OverflowException or ArgumentException)
        {
            throw new Hdf5FormatException(Path, Normalize(path), Describe(ex), ex);
        }
    }

    /// <summary>A source dataset of a virtual dataset: <c>.</c> is this file, other names are found like external links.</summary>
    internal Hdf5Dataset VirtualSource(string file, string dataset, string virtualFile, string place)
    {
        if (_virtualSources.TryGetValue((file, dataset), out Hdf5Dataset? known))
        {
            return known;
        }
        H5Source? source = file == "." ? _source : OpenLinked(file, virtualFile, out string? problem) ?? throw new Hdf5FormatException(Path, place, $"Its source file {file}: {problem}.");
        Target t = Resolve(source, Normalize(dataset), 1);
        if (t.Source is null)
        {
            throw new Hdf5FormatException(Path, place, $"Its source {file}:{dataset} does not exist{(t.Problem is null ? "" : $" ({t.Problem})")}.");
        }
        var result = Hdf5Dataset.Create(this, t.Source, Normalize(dataset), t.Source.ObjectHeader(t.Address));
        _virtualSources[(file, dataset)] = result;
        return result;
    }

    /// <summary>
    /// The file of an external raw storage slot, found as HDF5 does (H5Pset_efile_prefix): HDF5_EXTFILE_PREFIX
    /// (<c>${ORIGIN}</c> = the HDF5 file's directory), else the working directory; and, as a convenience, next
    /// to the HDF5 file.
    /// </summary>
    internal string ResolveExternalRaw(string name, string hdf5File, string place)
    {
        string origin = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(hdf5File)) ?? ".";
        var candidates = new List<string>();
        if (System.IO.Path.IsPathRooted(name))
        {
            candidates.Add(name);
        }
        else
        {
            if (Environment.GetEnvironmentVariable("HDF5_EXTFILE_PREFIX") is { Length: > 0 } prefixes)
            {
                candidates.AddRange(prefixes.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(p => System.IO.Path.Combine(p.Replace("${ORIGIN}", origin, StringComparison.Ordinal), name)));
            }
            candidates.Add(System.IO.Path.GetFullPath(name));
            candidates.Add(System.IO.Path.Combine(origin, name));
        }
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new Hdf5FormatException(Path, place, $"Its external raw data file {name} is not found (looked in: {string.Join(", ", candidates.Distinct())}).");
    }

    internal void ReadExternalRaw(string path, long offset, Span<byte> destination, string place)
    {
        if (!_raw.TryGetValue(path, out var handle))
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            _raw[path] = handle;
        }
        long length = RandomAccess.GetLength(handle);
        if (offset < 0 || offset + destination.Length > length)
        {
            throw new Hdf5FormatException(Path, place, $"Its external raw data file {path} has {length} bytes; the data lies at {offset}–{offset + destination.Length - 1}: it is truncated or is not the right file.");
        }
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(handle, destination, offset);
            if (n <= 0)
            {
                throw new Hdf5FormatException(Path, place, $"Its external raw data file {path} ends early.");
            }
            destination = destination[n..];
            offset += n;
        }
    }

    /// <summary>A path with one leading slash and none at the end (<c>/</c> for the root).</summary>
    public static string Normalize(string path)
    {
        string trimmed = path.Trim().Trim('/');
        return "/" + trimmed;
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    /// <summary>An exception's messages (and its inner exceptions'), without stack traces.</summary>
    internal static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            string message = e.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !parts.Contains(message))
            {
                parts.Add(message);
            }
        }
        string text = string.Join(": ", parts);
        return text.Length == 0 ? ex.GetType().Name : text + ".";
    }

    /// <summary>Closes the file and every file it opened through links.</summary>
    public void Dispose()
    {
        foreach (var handle in _raw.Values)
        {
            handle.Dispose();
        }
        foreach (H5Source? source in _linked.Values)
        {
            source?.Dispose();
        }
        _source.Dispose();
    }
}
