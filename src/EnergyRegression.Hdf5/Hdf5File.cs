using System.Globalization;
using PureHDF;
using PureHDF.VOL.Native;

namespace EnergyRegression.Hdf5;

/// <summary>A group or dataset found by <see cref="Hdf5File.Walk()"/>.</summary>
/// <param name="Path">Absolute path, <c>/</c> for the root group.</param>
/// <param name="Depth">0 for the root group.</param>
/// <param name="Dataset">The dataset, or null for a group.</param>
/// <param name="Problem">Why the object could not be opened (damaged, unsupported link), or null.</param>
public sealed record Hdf5Node(string Path, int Depth, Hdf5Dataset? Dataset, string? Problem);

/// <summary>
/// An HDF5 file opened for reading with PureHDF: datasets by path, the object tree, attributes. Every
/// failure is an <see cref="Hdf5FormatException"/> naming the file and the object. Dispose to close.
/// </summary>
public sealed class Hdf5File : IDisposable
{
    private readonly NativeFile _file;
    private readonly Dictionary<string, Hdf5Dataset> _datasets = new(StringComparer.Ordinal);

    private Hdf5File(string path, NativeFile file)
    {
        Path = path;
        _file = file;
    }

    /// <summary>The path the file was opened with.</summary>
    public string Path { get; }

    /// <summary>The 8-byte HDF5 signature, at offset 0 (or 512, 1024, … after a user block).</summary>
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    /// <summary>True when the file starts with the HDF5 signature (no user block).</summary>
    public static bool HasSignature(string path)
    {
        Span<byte> head = stackalloc byte[8];
        using FileStream stream = System.IO.File.OpenRead(path);
        return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Signature);
    }

    /// <summary>Opens a file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="Hdf5FormatException">Not an HDF5 file, or damaged.</exception>
    public static Hdf5File Open(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new FileNotFoundException($"No such file: {path}", path);
        }
        NativeFile file;
        try
        {
            file = H5File.OpenRead(path);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not FileNotFoundException and not DirectoryNotFoundException and not UnauthorizedAccessException)
        {
            throw new Hdf5FormatException(path, "file", Describe(ex), ex);
        }
        return new Hdf5File(path, file);
    }

    /// <summary>True when a link of that path exists (group or dataset).</summary>
    public bool Exists(string path)
    {
        string p = Normalize(path);
        if (p == "/")
        {
            return true;
        }
        try
        {
            // LinkExists checks the last link only: walk the parents first.
            string[] parts = p.Trim('/').Split('/');
            string current = "";
            foreach (string part in parts)
            {
                current += "/" + part;
                if (!_file.LinkExists(current))
                {
                    return false;
                }
            }
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Hdf5FormatException(Path, p, Describe(ex), ex);
        }
    }

    /// <summary>True when <paramref name="path"/> is a group.</summary>
    public bool IsGroup(string path) => Normalize(path) == "/" || (Exists(path) && Get(path) is IH5Group);

    /// <summary>The dataset at <paramref name="path"/>.</summary>
    /// <exception cref="Hdf5FormatException">Missing, not a dataset, or damaged.</exception>
    public Hdf5Dataset GetDataset(string path)
    {
        string p = Normalize(path);
        if (_datasets.TryGetValue(p, out Hdf5Dataset? known))
        {
            return known;
        }
        if (!Exists(p))
        {
            throw new Hdf5FormatException(Path, $"dataset {p}", "There is no such dataset.");
        }
        if (Get(p) is not NativeDataset dataset)
        {
            throw new Hdf5FormatException(Path, $"dataset {p}", "This is a group, not a dataset.");
        }
        Hdf5Dataset result;
        try
        {
            result = new Hdf5Dataset(this, p, dataset);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not Hdf5FormatException)
        {
            throw new Hdf5FormatException(Path, $"dataset {p}", Describe(ex), ex);
        }
        _datasets[p] = result;
        return result;
    }

    /// <summary>The names of a group's members (groups and datasets), in the file's link order.</summary>
    public IReadOnlyList<string> Children(string groupPath)
    {
        string p = Normalize(groupPath);
        IH5Group group = p == "/" ? _file : Get(p) as IH5Group
            ?? throw new Hdf5FormatException(Path, $"group {p}", "This is a dataset, not a group.");
        try
        {
            return [.. group.Children().Select(c => c.Name)];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Hdf5FormatException(Path, $"group {p}", Describe(ex), ex);
        }
    }

    /// <summary>Every group and dataset, depth first from the root, groups before their members.</summary>
    public IEnumerable<Hdf5Node> Walk() => WalkFrom("/", 0);

    private IEnumerable<Hdf5Node> WalkFrom(string path, int depth)
    {
        yield return new Hdf5Node(path, depth, null, null);
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
            IH5Object? obj = null;
            string? error = null;
            try
            {
                obj = Get(child);
            }
            catch (Hdf5FormatException ex)
            {
                error = ex.Detail;
            }
            if (obj is IH5Group)
            {
                foreach (Hdf5Node node in WalkFrom(child, depth + 1))
                {
                    yield return node;
                }
                continue;
            }
            Hdf5Dataset? dataset = null;
            if (obj is NativeDataset)
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
            yield return new Hdf5Node(child, depth + 1, dataset, error ?? (dataset is null ? "not a group or dataset" : null));
        }
    }

    /// <summary>The attributes of an object as text (numbers, strings, arrays of them), in file order.</summary>
    public IReadOnlyList<(string Name, string Value)> Attributes(string path)
    {
        string p = Normalize(path);
        IH5Object obj = p == "/" ? _file : Get(p);
        var result = new List<(string, string)>();
        IEnumerable<IH5Attribute> attributes;
        try
        {
            attributes = [.. obj.Attributes()];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Hdf5FormatException(Path, p, Describe(ex), ex);
        }
        foreach (IH5Attribute attribute in attributes)
        {
            result.Add((attribute.Name, AttributeText(attribute)));
        }
        return result;
    }

    /// <summary>A string attribute's value, or null when absent or not a string.</summary>
    public string? StringAttribute(string path, string name)
    {
        string p = Normalize(path);
        IH5Object obj = p == "/" ? _file : Get(p);
        try
        {
            if (!obj.AttributeExists(name))
            {
                return null;
            }
            IH5Attribute attribute = obj.Attribute(name);
            bool text = attribute.Type.Class is H5DataTypeClass.String or H5DataTypeClass.VariableLength;
            return text && attribute.Space.Type == H5DataspaceType.Scalar ? attribute.Read<string>() : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Hdf5FormatException(Path, $"{p}, attribute {name}", Describe(ex), ex);
        }
    }

    private static string AttributeText(IH5Attribute attribute)
    {
        try
        {
            bool scalar = attribute.Space.Type == H5DataspaceType.Scalar;
            switch (attribute.Type.Class)
            {
                case H5DataTypeClass.String:
                case H5DataTypeClass.VariableLength when attribute.Type.VariableLength.BaseType.Class is H5DataTypeClass.String or H5DataTypeClass.FixedPoint && attribute.Type.VariableLength.BaseType.Size == 1:
                    return scalar ? Quote(attribute.Read<string>()) : "[" + string.Join(", ", attribute.Read<string[]>().Select(Quote)) + "]";
                case H5DataTypeClass.FixedPoint:
                case H5DataTypeClass.FloatingPoint:
                {
                    var type = Hdf5Type.Of(attribute.Type);
                    if (type.BigEndian)
                    {
                        return $"({type.Name})";
                    }
                    string[] values = type.ElementType == typeof(double) || type.ElementType == typeof(float)
                        ? [.. attribute.Read<double[]>().Select(v => v.ToString("R", CultureInfo.InvariantCulture))]
                        : type.ElementType == typeof(ulong)
                            ? [.. attribute.Read<ulong[]>().Select(v => v.ToString(CultureInfo.InvariantCulture))]
                            : [.. attribute.Read<long[]>().Select(v => v.ToString(CultureInfo.InvariantCulture))];
                    return scalar && values.Length == 1 ? values[0] : "[" + string.Join(", ", values) + "]";
                }
                default:
                    return $"({Hdf5Type.Of(attribute.Type).Name})";
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return $"(unreadable: {Describe(ex)})";
        }
    }

    private static readonly System.Text.Json.JsonSerializerOptions _quoting = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Quote(string s) => System.Text.Json.JsonSerializer.Serialize(s, _quoting);

    private IH5Object Get(string path)
    {
        try
        {
            return _file.Get(Normalize(path));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new Hdf5FormatException(Path, Normalize(path), Describe(ex), ex);
        }
    }

    /// <summary>A path with one leading slash and none at the end (<c>/</c> for the root).</summary>
    public static string Normalize(string path)
    {
        string trimmed = path.Trim().Trim('/');
        return "/" + trimmed;
    }

    /// <summary>PureHDF's message (and its inner exceptions'), without stack traces.</summary>
    internal static string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            string message = e is System.Reflection.TargetInvocationException ? "" : e.Message.Trim().TrimEnd('.');
            if (message.Length > 0 && !parts.Contains(message))
            {
                parts.Add(message);
            }
        }
        string text = string.Join(": ", parts);
        return ex switch
        {
            EndOfStreamException => "the file ends early (truncated?): " + text,
            _ when text.Length == 0 => ex.GetType().Name,
            _ => text.EndsWith('.') ? text : text + ".",
        };
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes at <paramref name="offset"/> with positional reads
    /// on a handle of its own (contiguous datasets, see <see cref="PureHdfInternals.ContiguousDataOffset"/>).
    /// </summary>
    internal void ReadAt(long offset, Span<byte> destination, string place)
    {
        _handle ??= System.IO.File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = RandomAccess.GetLength(_handle);
        if (offset < 0 || offset + destination.Length > length)
        {
            throw new Hdf5FormatException(Path, place,
                $"The data lies at bytes {offset}–{offset + destination.Length - 1}, beyond the end of the file ({length} bytes): the file is truncated or damaged.");
        }
        while (destination.Length > 0)
        {
            int n = RandomAccess.Read(_handle, destination, offset);
            if (n <= 0)
            {
                throw new Hdf5FormatException(Path, place, $"The file ends early at byte {offset}.");
            }
            destination = destination[n..];
            offset += n;
        }
    }

    private Microsoft.Win32.SafeHandles.SafeFileHandle? _handle;

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        _handle?.Dispose();
        _file.Dispose();
    }
}
