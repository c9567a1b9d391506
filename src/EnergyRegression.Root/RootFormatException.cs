namespace EnergyRegression.Root;

/// <summary>
/// Thrown when a ROOT file is malformed: truncated, a length or pointer out of range, a checksum
/// mismatch, an unknown compression tag. Names the file, the structure being read and its offset.
/// </summary>
public class RootFormatException : Exception
{
    /// <summary>Creates an exception naming the file, the structure and the byte offset.</summary>
    public RootFormatException(string file, string structure, long offset, string message, Exception? inner = null)
        : base($"{file}: malformed {structure} at offset {offset}: {message}", inner)
    {
        File = file;
        Structure = structure;
        Offset = offset;
        Detail = message;
    }

    /// <summary>Creates an exception with a message only (prefer the detailed constructor).</summary>
    public RootFormatException() : this("?", "?", -1, "malformed ROOT file") { }

    /// <summary>Creates an exception with a message only (prefer the detailed constructor).</summary>
    public RootFormatException(string message) : this("?", "?", -1, message) { }

    /// <summary>Creates an exception with a message and an inner exception (prefer the detailed constructor).</summary>
    public RootFormatException(string message, Exception inner) : this("?", "?", -1, message, inner) { }

    /// <summary>The path of the file (or the name given to an in-memory image).</summary>
    public string File { get; }

    /// <summary>The format structure being read, e.g. "TKey", "TBasket of branch px1", "TTree events".</summary>
    public string Structure { get; }

    /// <summary>What is wrong, without the file, structure and offset.</summary>
    public string Detail { get; }

    /// <summary>The byte offset in the file of the structure (or of the field) that was malformed; -1 if unknown.</summary>
    public long Offset { get; }
}
