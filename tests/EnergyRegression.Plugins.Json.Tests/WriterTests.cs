using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json.Tests;

public class WriterTests
{
    private static void Set<T>(Span<T> target, ReadOnlySpan<T> values) => values.CopyTo(target);

    private static EventBatch SmallBatch()
    {
        var batch = new EventBatch(2);
        batch.AddCollection("Electron", [2, 0]);
        Set(batch.AddEventColumn<long>("run").Values, [1L, 2]);
        Set(batch.AddEventColumn<double>("rho").Values, [45.0, 1e21]);
        Set(batch.AddObjectColumn<float>("Electron", "Electron_pt").Values, [45.5f, 0.1f]);
        Set(batch.AddObjectColumn<int>("Electron", "Electron_charge").Values, [-1, 1]);
        Set(batch.AddObjectColumn<double>("Electron", "Electron_window", 2, 2).Values, [1.0, 2, 3, 4, 0.5, 6, 7, 8]);
        Set(batch.AddEventColumn<bool>("flag").Values, [true, false]);
        Set(batch.AddEventColumn<double>("image", 2).Values, [-0.0, 1e-7, double.NaN, double.NegativeInfinity]);
        Set(batch.AddEventColumn<float>("w").Values, [float.PositiveInfinity, 3e-39f]);
        return batch;
    }

    [Fact]
    public void Writes_one_compact_object_per_event_with_counts_before_the_collection()
    {
        using var dir = new TempDir();
        string path = dir.File("out.jsonl");
        using (EventBatch batch = SmallBatch())
        {
            Json.Write(path, [batch]);
        }

        Assert.Equal(
            "{\"run\":1,\"rho\":45.0,\"nElectron\":2,\"Electron_pt\":[45.5,0.1],\"Electron_charge\":[-1,1]," +
            "\"Electron_window\":[[[1.0,2.0],[3.0,4.0]],[[0.5,6.0],[7.0,8.0]]],\"flag\":true,\"image\":[-0.0,1E-07],\"w\":\"Infinity\"}\n" +
            "{\"run\":2,\"rho\":1E+21,\"nElectron\":0,\"Electron_pt\":[],\"Electron_charge\":[],\"Electron_window\":[],\"flag\":false," +
            "\"image\":[\"NaN\",\"-Infinity\"],\"w\":3E-39}\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Columns_restricts_the_output_and_adds_the_count()
    {
        using var dir = new TempDir();
        string path = dir.File("out.jsonl");
        using (EventBatch batch = SmallBatch())
        {
            Json.Write(path, [batch], columns: ["Electron_pt", "rho"]);
        }

        Assert.Equal(
            "{\"rho\":45.0,\"nElectron\":2,\"Electron_pt\":[45.5,0.1]}\n{\"rho\":1E+21,\"nElectron\":0,\"Electron_pt\":[]}\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void Unknown_column_in_columns_is_a_config_error()
    {
        using var dir = new TempDir();
        using EventBatch batch = SmallBatch();
        using var writer = new JsonLinesWriter(new JsonLinesWriterConfig { Path = dir.File("o.jsonl"), Columns = ["Electron_ptt"] });
        writer.Open(Json.Provenance);

        ConfigValueException ex = Assert.Throws<ConfigValueException>(() => writer.Write(batch));

        Assert.Equal("columns", ex.Key);
        Assert.Contains("Electron_ptt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_without_commit_removes_the_partial_file()
    {
        using var dir = new TempDir();
        string path = dir.File("sub/dir/out.jsonl");
        using EventBatch batch = SmallBatch();
        var writer = new JsonLinesWriter(new JsonLinesWriterConfig { Path = path });
        writer.Open(Json.Provenance);
        writer.Write(batch);

        Assert.Equal(path + ".partial", writer.PartialPath);
        Assert.True(File.Exists(writer.PartialPath));
        Assert.False(File.Exists(path));

        writer.Dispose();

        Assert.False(File.Exists(path + ".partial"));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Commit_renames_the_partial_file_and_overwrites_an_old_output()
    {
        using var dir = new TempDir();
        string path = dir.Write("out.jsonl", "old\n");
        using EventBatch batch = SmallBatch();
        using (var writer = new JsonLinesWriter(new JsonLinesWriterConfig { Path = path, Columns = ["run"] }))
        {
            writer.Open(Json.Provenance);
            writer.Write(batch);
            writer.Commit();
        }

        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal("{\"run\":1}\n{\"run\":2}\n", File.ReadAllText(path));
    }

    [Fact]
    public void No_batches_give_an_empty_file_that_reads_as_no_events()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.jsonl");
        Json.Write(path, []);

        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(0, Json.Read([path]).Events);
    }

    [Fact]
    public void Writer_config_validation_names_the_key()
    {
        Assert.Equal("path", Assert.Throws<ConfigValueException>(() => new JsonLinesWriter(new JsonLinesWriterConfig { Path = " " })).Key);
        Assert.Equal("columns", Assert.Throws<ConfigValueException>(
            () => new JsonLinesWriter(new JsonLinesWriterConfig { Path = "x.jsonl", Columns = ["a", "a"] })).Key);
    }

    [Fact]
    public void Event_tensor_with_underscore_in_its_name_warns()
    {
        using var dir = new TempDir();
        var context = new TestRunContext();
        using (var batch = new EventBatch(1))
        {
            batch.AddEventColumn<double>("MET_cov", 2);
            Json.Write(dir.File("o.jsonl"), [batch], context: context);
        }

        string warning = Assert.Single(context.Warnings);
        Assert.Contains("'MET_cov'", warning, StringComparison.Ordinal);
    }
}
