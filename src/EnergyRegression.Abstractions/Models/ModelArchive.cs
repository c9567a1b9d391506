using System.IO.Compression;
using System.Text.Json;
using EnergyRegression.Plugins;

namespace EnergyRegression.Models;

/// <summary>
/// A trained model on disk: one zip file holding <c>card.json</c> (the <see cref="ModelCard"/>) and whatever
/// entries the plugin needs (weights, trees, normalisation). One file is easy to copy to grid nodes and to
/// write atomically; <c>unzip -p model.zip card.json</c> shows the card without the tool.
/// </summary>
public sealed class ModelArchive : IDisposable
{
    /// <summary>The entry holding the card.</summary>
    public const string CardEntry = "card.json";

    /// <summary>JSON settings of the card and of plugins' JSON entries: snake_case keys, indented.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly ZipArchive _zip;

    private ModelArchive(string path, ZipArchive zip, ModelCard card)
    {
        Path = path;
        _zip = zip;
        Card = card;
    }

    /// <summary>The archive's path.</summary>
    public string Path { get; }

    /// <summary>The card.</summary>
    public ModelCard Card { get; }

    /// <summary>
    /// Opens a model archive and reads its card. Throws <see cref="InputDataException"/> naming the file when it is
    /// missing, not a zip, or has no valid card.
    /// </summary>
    public static ModelArchive Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new InputDataException(path, "file", Directory.Exists(path) ? "is a directory, not a model file" : "no such model file");
        }
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new InputDataException(path, "file", $"not a model file (not a zip archive: {e.Message})", e);
        }
        try
        {
            ModelCard card = ReadJson<ModelCard>(zip, path, CardEntry);
            if (card.Format != ModelCard.FormatName)
            {
                throw new InputDataException(path, CardEntry, $"format is '{card.Format}', expected '{ModelCard.FormatName}'");
            }
            return new ModelArchive(path, zip, card);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>True when the archive has an entry of that name.</summary>
    public bool Contains(string entry) => _zip.GetEntry(entry) is not null;

    /// <summary>Opens an entry for reading; a missing entry is an <see cref="InputDataException"/> naming it.</summary>
    public Stream OpenEntry(string entry) =>
        (_zip.GetEntry(entry) ?? throw new InputDataException(Path, entry, "entry missing from the model archive")).Open();

    /// <summary>Reads a JSON entry written by <see cref="ModelArchiveWriter.WriteJson{T}"/>.</summary>
    public T ReadJson<T>(string entry) => ReadJson<T>(_zip, Path, entry);

    /// <summary>Reads a whole entry into memory.</summary>
    public byte[] ReadBytes(string entry)
    {
        using Stream stream = OpenEntry(entry);
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    private static T ReadJson<T>(ZipArchive zip, string path, string entry)
    {
        ZipArchiveEntry found = zip.GetEntry(entry) ?? throw new InputDataException(path, entry, entry == CardEntry
            ? "not a model file (no card.json: write models with energyreg train)"
            : "entry missing from the model archive");
        try
        {
            using Stream stream = found.Open();
            return JsonSerializer.Deserialize<T>(stream, Json) ?? throw new InputDataException(path, entry, "empty JSON entry");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $"{entry} line {line + 1}" : entry;
            throw new InputDataException(path, where, $"invalid JSON: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new InputDataException(path, entry, $"damaged archive entry: {e.Message}", e);
        }
    }

    /// <summary>Closes the archive.</summary>
    public void Dispose() => _zip.Dispose();
}

/// <summary>
/// Writes a model archive under a temporary name (<c>PATH.partial</c>); <see cref="Commit"/> adds the card and
/// renames it to the final path, so an interrupted training never leaves a file that looks like a model.
/// Disposing without committing removes the temporary file.
/// </summary>
public sealed class ModelArchiveWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private bool _done;

    private ModelArchiveWriter(string path, string temporaryPath)
    {
        Path = path;
        TemporaryPath = temporaryPath;
        _file = new FileStream(temporaryPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>The final path.</summary>
    public string Path { get; }

    /// <summary>Where the archive is written until <see cref="Commit"/>.</summary>
    public string TemporaryPath { get; }

    /// <summary>Starts a model archive that becomes <paramref name="path"/> on <see cref="Commit"/>.</summary>
    public static ModelArchiveWriter Create(string path)
    {
        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        return new ModelArchiveWriter(path, path + ".partial");
    }

    /// <summary>Opens a new entry for writing; dispose the stream before adding the next entry.</summary>
    public Stream CreateEntry(string entry)
    {
        if (entry == ModelArchive.CardEntry)
        {
            throw new ArgumentException($"'{ModelArchive.CardEntry}' is written by Commit.", nameof(entry));
        }
        return _zip.CreateEntry(entry, CompressionLevel.Optimal).Open();
    }

    /// <summary>Writes <paramref name="value"/> as a JSON entry (settings of <see cref="ModelArchive.Json"/>).</summary>
    public void WriteJson<T>(string entry, T value)
    {
        using Stream stream = CreateEntry(entry);
        JsonSerializer.Serialize(stream, value, ModelArchive.Json);
    }

    /// <summary>Writes raw bytes as an entry.</summary>
    public void WriteBytes(string entry, ReadOnlySpan<byte> bytes)
    {
        using Stream stream = CreateEntry(entry);
        stream.Write(bytes);
    }

    /// <summary>Adds the card, finishes the zip and renames it to <see cref="Path"/> (replacing an older model).</summary>
    public void Commit(ModelCard card)
    {
        ObjectDisposedException.ThrowIf(_done, this);
        using (Stream stream = _zip.CreateEntry(ModelArchive.CardEntry, CompressionLevel.Optimal).Open())
        {
            JsonSerializer.Serialize(stream, card, ModelArchive.Json);
        }
        _zip.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        File.Move(TemporaryPath, Path, overwrite: true);
        _done = true;
    }

    /// <summary>Removes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }
        _done = true;
        _zip.Dispose();
        _file.Dispose();
        File.Delete(TemporaryPath);
    }
}
