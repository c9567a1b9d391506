namespace EnergyRegression.Hdf5;

/// <summary>
/// An HDF5 file that cannot be read as asked: malformed (truncated, damaged bytes, a failing filter),
/// or a dataset that is not what the table layout needs (wrong length or shape, unsupported type).
/// Names the file and the object (dataset or group path).
/// </summary>
public class Hdf5FormatException : Exception
{
    /// <summary>Creates the error for <paramref name="file"/> and the object at <paramref name="objectPath"/>.</summary>
    public Hdf5FormatException(string file, string objectPath, string message, Exception? inner = null)
        : base($"{file}: {objectPath}: {message}", inner)
    {
        File = file;
        ObjectPath = objectPath;
        Detail = message;
    }

    /// <summary>Creates an error with a message only (prefer the detailed constructor).</summary>
    public Hdf5FormatException() : this("?", "?", "malformed HDF5 file") { }

    /// <summary>Creates an error with a message only (prefer the detailed constructor).</summary>
    public Hdf5FormatException(string message) : this("?", "?", message) { }

    /// <summary>Creates an error with a message and an inner exception (prefer the detailed constructor).</summary>
    public Hdf5FormatException(string message, Exception inner) : this("?", "?", message, inner) { }

    /// <summary>The file.</summary>
    public string File { get; }

    /// <summary>The dataset or group, e.g. <c>dataset /events/run</c> or <c>file</c>.</summary>
    public string ObjectPath { get; }

    /// <summary>What is wrong, without file and object.</summary>
    public string Detail { get; }
}
