using EnergyRegression.Data;
using EnergyRegression.Plugins;

namespace EnergyRegression.Abstractions.Tests;

/// <summary>The file/shard/entry-range logic the root and hdf5 readers share, over real files whose content is their entry count.</summary>
public sealed class FileEventReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("file-event-reader-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A file of <paramref name="entries"/> entries: its text is the number.</summary>
    private string File(string name, long entries)
    {
        string path = Path.Combine(_directory, name);
        System.IO.File.WriteAllText(path, entries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return path;
    }

    private sealed class CountingReader(IEnumerable<string> files, string? entries) : FileEventReader<CountingReader.Opened>(files, entries)
    {
        public List<string> Opens { get; } = [];

        public sealed class Opened(string path) : IDisposable
        {
            public long Entries { get; } = long.Parse(System.IO.File.ReadAllText(path), System.Globalization.CultureInfo.InvariantCulture);

            public void Dispose()
            {
            }
        }

        protected override Opened Open(string path)
        {
            Opens.Add(Path.GetFileName(path));
            return new Opened(path);
        }

        protected override long EntriesOf(Opened file, string path) => file.Entries;

        protected override EventBatch ReadBatch(Opened file, string path, long start, int count, long firstEntry)
        {
            Assert.InRange(start + count, 1, file.Entries);
            return new EventBatch(count) { FirstEntry = firstEntry };
        }
    }

    [Fact]
    public void Files_are_one_stream_cut_by_the_range_and_a_shard_without_batches_spanning_files()
    {
        string[] files = [File("a", 7), File("b", 0), File("c", 5), File("d", 9)];
        using var reader = new CountingReader(files, "3:15");
        Assert.Equal(files, reader.InputFiles);
        Assert.Equal([4L, 0, 5, 3], reader.CountEntriesPerFile());
        Assert.Equal(12, reader.CountEvents());
        Assert.Equal(["a", "b", "c", "d"], reader.Opens); // each file's entries counted once
        reader.Opens.Clear();
        Assert.Equal(12, reader.CountEvents());
        Assert.Empty(reader.Opens);

        var batches = reader.ReadBatches(4, CancellationToken.None).Select(b => (b.FirstEntry, b.EventCount)).ToList();
        // 3–6 in file a, 7–10 and 11 in file c, 12–14 in file d: never across a file boundary.
        Assert.Equal([(3L, 4), (7L, 4), (11L, 1), (12L, 3)], batches);

        // Shard entries 5–9 of the range = input entries 8–12.
        reader.Restrict(5, 10);
        Assert.Equal(5, reader.CountEvents());
        Assert.Equal([(8L, 4), (12L, 1)], reader.ReadBatches(10, CancellationToken.None).Select(b => (b.FirstEntry, b.EventCount)));
        // The per-file counts shards are cut from ignore the restriction.
        Assert.Equal([4L, 0, 5, 3], reader.CountEntriesPerFile());
    }

    [Fact]
    public void Files_after_the_range_are_not_opened_and_bad_input_is_reported()
    {
        using var reader = new CountingReader([File("a", 7), File("b", 9)], ":5");
        reader.Opens.Clear();
        Assert.Single(reader.ReadBatches(100, CancellationToken.None));
        Assert.Equal(["a"], reader.Opens);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.ReadBatches(0, CancellationToken.None));

        var missing = Assert.Throws<InputDataException>(() => new CountingReader([Path.Combine(_directory, "nope*.root")], null));
        Assert.Contains("No file matches", missing.Message, StringComparison.Ordinal);
        var range = Assert.Throws<ConfigValueException>(() => new CountingReader([File("c", 1)], "9:2"));
        Assert.Equal("entries", range.Key);
        Assert.Throws<ConfigValueException>(() => InputFilePatterns.Validate([]));
        Assert.Throws<ConfigValueException>(() => InputFilePatterns.Validate(["a", " "]));
    }
}
