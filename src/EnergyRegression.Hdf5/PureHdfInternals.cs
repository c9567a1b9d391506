using System.Reflection;
using PureHDF;

namespace EnergyRegression.Hdf5;

/// <summary>
/// What PureHDF 2.2.0 knows but does not make public: the byte order of a number type, a dataset's
/// filter pipeline and the file offset of a contiguous dataset's data. PureHDF refuses to convert big-endian data itself ("Byte order conversion is not
/// (yet) supported"), so this library reads raw bytes and converts them, which needs the byte order.
/// Read by reflection from NativeDataType._dataType.BitField.ByteOrder and
/// NativeDataset.InternalFilterPipeline.FilterDescriptions, NativeDataset.InternalDataLayout and
/// Context.Driver.BaseAddress. PureHDF reads a row range of a contiguous dataset one innermost row per
/// system call (128 bytes for 32 × 32 floats: ~130 MB/s, benchmarks/README.md), so this library reads the
/// byte range itself. The package version is pinned in
/// Directory.Packages.props and the tests read big-endian h5py files, so a PureHDF update that moves
/// these fails loudly there.
/// </summary>
internal static class PureHdfInternals
{
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance;

    /// <summary>True for a big-endian number type; false for little-endian or a type without byte order.</summary>
    public static bool IsBigEndian(IH5DataType type)
    {
        object? message = type.GetType().GetField("_dataType", Any)?.GetValue(type)
            ?? throw new NotSupportedException($"unsupported: cannot read the byte order of {type.GetType().Name} (PureHDF internals changed)");
        object? bitField = message.GetType().GetProperty("BitField", Any)?.GetValue(message);
        PropertyInfo? order = bitField?.GetType().GetProperty("ByteOrder", Any);
        if (order is null)
        {
            return false; // compound, enum, string: no byte order of their own
        }
        // HDF5 spec, datatype message, class bit field bit 0: 0 little-endian, 1 big-endian (VAX = 2 in PureHDF).
        int value = Convert.ToInt32(order.GetValue(bitField), System.Globalization.CultureInfo.InvariantCulture);
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw new NotSupportedException("unsupported: VAX byte order"),
        };
    }

    /// <summary>The names of a dataset's filters in pipeline order (e.g. shuffle, deflate), or empty.</summary>
    public static IReadOnlyList<string> FilterNames(IH5Dataset dataset)
    {
        try
        {
            object? pipeline = dataset.GetType().GetProperty("InternalFilterPipeline", Any)?.GetValue(dataset);
            if (pipeline?.GetType().GetProperty("FilterDescriptions", Any)?.GetValue(pipeline) is not Array descriptions)
            {
                return [];
            }
            var names = new List<string>();
            foreach (object? description in descriptions)
            {
                Type? t = description?.GetType();
                object? id = t?.GetProperty("Identifier", Any)?.GetValue(description);
                int code = id is null ? -1 : Convert.ToInt32(id, System.Globalization.CultureInfo.InvariantCulture);
                names.Add(code switch
                {
                    1 => "deflate",
                    2 => "shuffle",
                    3 => "fletcher32",
                    4 => "szip",
                    5 => "nbit",
                    6 => "scaleoffset",
                    _ => t?.GetProperty("Name", Any)?.GetValue(description) is string { Length: > 0 } name ? name : $"filter {code}",
                });
            }
            return names;
        }
        catch (TargetInvocationException)
        {
            return [];
        }
    }

    /// <summary>
    /// The file offset of a contiguous dataset's data (its layout message's address plus the file's base
    /// address), or null when the dataset is not contiguous, has no storage allocated, is stored in external
    /// files, or PureHDF's internals are not as expected (then PureHDF reads it).
    /// </summary>
    public static long? ContiguousDataOffset(IH5Dataset dataset)
    {
        try
        {
            Type t = dataset.GetType();
            if (dataset.Layout.Class != H5DataLayoutClass.Contiguous || t.GetProperty("InternalExternalFileList", Any)?.GetValue(dataset) is not null)
            {
                return null;
            }
            object? layout = t.GetProperty("InternalDataLayout", Any)?.GetValue(dataset);
            object? holder = layout?.GetType().GetProperty("Properties", Any)?.GetValue(layout) ?? layout;
            object? address = holder?.GetType().GetProperty("Address", Any)?.GetValue(holder);
            object? context = t.GetProperty("Context", Any)?.GetValue(dataset);
            object? driver = context?.GetType().GetProperty("Driver", Any)?.GetValue(context);
            object? baseAddress = driver?.GetType().GetProperty("BaseAddress", Any)?.GetValue(driver);
            if (address is not ulong a || baseAddress is not ulong b || a >= long.MaxValue / 2)
            {
                return null; // undefined address (all ones): nothing allocated, PureHDF returns the fill value
            }
            return checked((long)(a + b));
        }
        catch (Exception ex) when (ex is TargetInvocationException or OverflowException or InvalidCastException)
        {
            return null;
        }
    }
}
