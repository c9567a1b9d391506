using EnergyRegression.Data;

namespace EnergyRegression.Plugins;

/// <summary>
/// Base of readers whose input is a list of files read as one stream of entries (the <c>root</c> and <c>hdf5</c>
/// readers): it expands the <c>files:</c> patterns, counts each file's entries once, applies the <c>entries:</c>
/// range and a grid shard (<see cref="IShardableReader.Restrict"/>), and cuts each file's part of the range into
/// batches — a batch never spans two files. A subclass opens a file and reads one batch of it.
/// </summary>
/// <typeparam name="TFile">An opened input file with whatever the subclass resolved in it (its tree, its table).</typeparam>
public abstract class FileEventReader<TFile> : IShardableReader where TFile : IDisposable
{
    private readonly List<string> _files;
    private readonly long?[] _fileEntries;
    private readonly EntryRange _configured;
    private EntryRange _range;

    /// <summary>Expands <paramref name="files"/> (a pattern matching nothing is an input error) and parses <paramref name="entries"/>.</summary>
    /// <exception cref="InputDataException">A file does not exist or a pattern matches no file.</exception>
    /// <exception cref="ConfigValueException">The entry range is malformed (key <c>entries</c>).</exception>
    protected FileEventReader(IEnumerable<string> files, string? entries)
    {
        _configured = EntryRange.Parse(entries);
        _range = _configured;
        try
        {
            _files = InputFilePatterns.Expand(files);
        }
        catch (FileNotFoundException ex)
        {
            throw new InputDataException(ex.FileName ?? "?", "open", ex.Message, ex);
        }
        _fileEntries = new long?[_files.Count];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> InputFiles => _files;

    /// <summary>The sum of the files' entries within the range (each file's entries are counted once).</summary>
    public long? CountEvents() => _range.CountWithin(Enumerable.Range(0, _files.Count).Sum(EntriesOf));

    /// <inheritdoc />
    public IReadOnlyList<long> CountEntriesPerFile() => _configured.CountPerFile(Enumerable.Range(0, _files.Count).Select(EntriesOf));

    /// <inheritdoc />
    public void Restrict(long start, long stop) => _range = _configured.Within(start, stop);

    /// <inheritdoc />
    public IEnumerable<EventBatch> ReadBatches(int batchSize, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Enumerate(batchSize, cancellation);
    }

    private IEnumerable<EventBatch> Enumerate(int batchSize, CancellationToken cancellation)
    {
        long fileFirst = 0; // stream entry of the current file's entry 0
        for (int f = 0; f < _files.Count && !_range.EndsBefore(fileFirst); f++)
        {
            cancellation.ThrowIfCancellationRequested();
            using TFile file = OpenFile(f, out long entries);
            foreach ((long start, int count) in _range.BatchesOf(fileFirst, entries, batchSize))
            {
                cancellation.ThrowIfCancellationRequested();
                yield return ReadBatch(file, _files[f], start, count, fileFirst + start);
            }
            fileFirst += entries;
        }
    }

    /// <summary>Opens input file <paramref name="index"/> and remembers its number of entries (the constructor's schema comes from file 0).</summary>
    protected TFile OpenFile(int index, out long entries)
    {
        TFile file = Open(_files[index]);
        try
        {
            entries = EntriesOf(file, _files[index]);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        _fileEntries[index] = entries;
        return file;
    }

    private long EntriesOf(int index)
    {
        if (_fileEntries[index] is null)
        {
            using TFile file = OpenFile(index, out _);
        }
        return _fileEntries[index]!.Value;
    }

    /// <summary>Opens <paramref name="path"/>; errors are <see cref="InputDataException"/>s naming the file.</summary>
    protected abstract TFile Open(string path);

    /// <summary>The number of entries <paramref name="file"/> gives (from its metadata, not its events).</summary>
    protected abstract long EntriesOf(TFile file, string path);

    /// <summary>Reads entries <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> of one file; <paramref name="firstEntry"/> is the stream entry of the first.</summary>
    protected abstract EventBatch ReadBatch(TFile file, string path, long start, int count, long firstEntry);

    /// <summary>Nothing to release by default: files are closed when an enumeration ends.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what a subclass holds beyond the files.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
