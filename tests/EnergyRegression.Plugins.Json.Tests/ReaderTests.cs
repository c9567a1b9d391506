using EnergyRegression.Data;

namespace EnergyRegression.Plugins.Json.Tests;

public class ReaderTests
{
    private static InputDataException ReadFails(string path, Dictionary<string, string>? types = null) =>
        Assert.Throws<InputDataException>(() => Json.Read([path], types: types));

    /// <summary>The 1-based byte column of the first occurrence of <paramref name="marker"/> on an ASCII line.</summary>
    private static int ColumnOf(string line, string marker)
    {
        int index = line.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(index >= 0);
        return index + 1;
    }

    [Fact]
    public void Infers_event_scalars_collections_counts_and_tensors_from_the_first_line()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl",
            """
            {"run":1,"rho":12.5,"MET_pt":20,"ok":true,"nJet":3,"nElectron":2,"Electron_pt":[45.2,31],"Electron_charge":[-1,1],"Electron_window":[[[1,2],[3,4.5]],[[5,6],[7,8]]],"image":[[1,2,3],[4,5,6.5]]}
            {"run":2,"rho":1,"MET_pt":3,"ok":false,"nJet":0,"nElectron":0,"Electron_pt":[],"Electron_charge":[],"Electron_window":[],"image":[[0,0,0],[0,0,"NaN"]]}
            """);

        Dataset data = Json.Read([path]);

        Assert.Equal(["run", "rho", "MET_pt", "ok", "nJet", "Electron_pt", "Electron_charge", "Electron_window", "image"], data.ColumnOrder);
        Assert.Equal(new ColumnData("run", ColumnLevel.Event, null, "int64", "", []), data.Columns["run"] with { Bytes = [] });
        Assert.Equal("float64", data.Columns["rho"].Type);
        Assert.Equal("int64", data.Columns["MET_pt"].Type); // integer literal on the first line
        Assert.Equal("bool", data.Columns["ok"].Type);
        Assert.Equal("int64", data.Columns["nJet"].Type); // no Jet collection: an ordinary column
        Assert.Equal(new ColumnData("Electron_pt", ColumnLevel.Object, "Electron", "float64", "", []), data.Columns["Electron_pt"] with { Bytes = [] });
        Assert.Equal("int64", data.Columns["Electron_charge"].Type);
        Assert.Equal(new ColumnData("Electron_window", ColumnLevel.Object, "Electron", "float64", "2x2", []), data.Columns["Electron_window"] with { Bytes = [] });
        Assert.Equal(new ColumnData("image", ColumnLevel.Event, null, "float64", "2x3", []), data.Columns["image"] with { Bytes = [] });
        Assert.Equal([2, 0], data.Counts["Electron"]);
        Assert.Equal([1L, 2], data.Longs("run"));
        Assert.Equal([12.5, 1.0], data.Doubles("rho"));
        Assert.Equal([45.2, 31.0], data.Doubles("Electron_pt"));
        Assert.Equal([-1L, 1], data.Longs("Electron_charge"));
        Assert.Equal([1.0, 2, 3, 4.5, 5, 6, 7, 8], data.Doubles("Electron_window"));
        Assert.Equal([1.0, 2, 3, 4, 5, 6.5, 0, 0, 0, 0, 0, double.NaN], data.Doubles("image"));
    }

    [Fact]
    public void Declared_types_override_the_inferred_ones()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"run\":7,\"Electron_pt\":[1.5,2]}\n{\"run\":8,\"Electron_pt\":[0.1]}\n");

        using JsonLinesReader reader = Json.Reader([path], new() { ["run"] = "uint8", ["Electron_pt"] = "float32" });
        using EventBatch batch = Assert.Single(reader.ReadBatches(10, CancellationToken.None));

        Assert.Equal([(byte)7, 8], batch.GetColumn<byte>("run").Values.ToArray());
        Assert.Equal([1.5f, 2f, 0.1f], batch.GetColumn<float>("Electron_pt").Values.ToArray());
    }

    [Fact]
    public void A_collection_empty_on_the_first_line_defaults_to_float64_and_takes_its_shape_from_a_later_line()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl",
            """
            {"nElectron":0,"Electron_window":[],"Electron_charge":[],"Muon_pt":[]}
            {"nElectron":0,"Electron_window":[],"Electron_charge":[],"Muon_pt":[]}
            {"nElectron":1,"Electron_window":[[[1,2],[3,4]]],"Electron_charge":[1],"Muon_pt":[]}
            """);

        Dataset data = Json.Read([path], batchSize: 1);

        Assert.Equal(new ColumnData("Electron_window", ColumnLevel.Object, "Electron", "float64", "2x2", []), data.Columns["Electron_window"] with { Bytes = [] });
        Assert.Equal("float64", data.Columns["Electron_charge"].Type);
        Assert.Equal(new ColumnData("Muon_pt", ColumnLevel.Object, "Muon", "float64", "", []), data.Columns["Muon_pt"] with { Bytes = [] });
        Assert.Equal([1.0, 2, 3, 4], data.Doubles("Electron_window"));
        Assert.Equal([0, 0, 1], data.Counts["Electron"]);
        Assert.Equal([0, 0, 0], data.Counts["Muon"]);
    }

    [Fact]
    public void Malformed_line_stops_with_file_line_and_column()
    {
        using var dir = new TempDir();
        const string Bad = "{\"run\":3,\"rho\":}";
        string path = dir.Write("bad.jsonl", "{\"run\":1,\"rho\":0.5}\n{\"run\":2,\"rho\":1.5}\n" + Bad + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal(path, ex.File);
        Assert.Equal($"line 3, column {ColumnOf(Bad, "}")}", ex.Place);
        Assert.Equal("line 3, column 16", ex.Place);
        Assert.StartsWith($"{path}: line 3, column 16: Invalid JSON: '}}' is an invalid start of a value.", ex.Message);
    }

    [Theory]
    [InlineData("[1,2]", 1, "Expected a JSON object (one event per line), found an array.")]
    [InlineData("{\"run\":1,\"rho\":0.5} x", 21, "Invalid JSON:")]
    [InlineData("{\"run\":1,\"rho\":0.5", 19, "Invalid JSON:")]
    [InlineData("{\"run\":1,\"rho\":null}", 16, "'rho': expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found null.")]
    [InlineData("{\"run\":1,\"rho\":\"abc\"}", 16, "'rho': expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found the string \"abc\".")]
    [InlineData("{\"run\":1,\"rho\":0.5,\"run\":2}", 20, "Key 'run' appears twice.")]
    [InlineData("{\"run\":\"NaN\",\"rho\":0.5}", 8, "'run': expected an integer, found the string \"NaN\".")]
    [InlineData("{\"run\":99999999999999999999,\"rho\":0.5}", 8, "'run': 99999999999999999999 does not fit in int64.")]
    public void Malformed_second_line_messages(string line, int column, string message)
    {
        using var dir = new TempDir();
        string path = dir.Write("bad.jsonl", "{\"run\":1,\"rho\":0.5}\n" + line + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {column}", ex.Place);
        Assert.StartsWith(message, ex.Detail);
    }

    [Fact]
    public void Integer_column_receiving_a_float_tells_to_declare_it()
    {
        using var dir = new TempDir();
        const string Line = "{\"run\":2.5,\"rho\":1.5}";
        string path = dir.Write("a.jsonl", "{\"run\":1,\"rho\":0.5}\n" + Line + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {ColumnOf(Line, "2.5")}", ex.Place);
        Assert.Equal("'run': expected an integer, found 2.5. The column is int64 (inferred from the first line, where its values are integers); " +
            "declare it as a float under the reader's types: (e.g. types: {run: float64}).", ex.Detail);
        // Declared as float64, the same file reads.
        Assert.Equal([1.0, 2.5], Json.Read([path], types: new() { ["run"] = "float64" }).Doubles("run"));
    }

    [Fact]
    public void Missing_key_is_named()
    {
        using var dir = new TempDir();
        const string Line = "{\"run\":2}";
        string path = dir.Write("a.jsonl", "{\"run\":1,\"rho\":0.5}\n" + Line + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {ColumnOf(Line, "}")}", ex.Place);
        Assert.Equal("Missing key 'rho' (every line must have the keys of line 1).", ex.Detail);
    }

    [Fact]
    public void Extra_key_is_named()
    {
        using var dir = new TempDir();
        const string Line = "{\"run\":2,\"rho\":1.5,\"x\":1}";
        string path = dir.Write("a.jsonl", "{\"run\":1,\"rho\":0.5}\n" + Line + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal("line 2, column 20", ex.Place);
        Assert.Equal($"line 2, column {ColumnOf(Line, "\"x\"")}", ex.Place);
        Assert.Equal("Unexpected key 'x': it is not on the first line (line 1); every line must have the same keys.", ex.Detail);
    }

    [Fact]
    public void Collection_columns_of_different_lengths_are_an_error()
    {
        using var dir = new TempDir();
        const string Line = "{\"nElectron\":2,\"Electron_pt\":[1.0,2.0],\"Electron_eta\":[0.1]}";
        string path = dir.Write("a.jsonl", "{\"nElectron\":1,\"Electron_pt\":[1.5],\"Electron_eta\":[0.5]}\n" + Line);

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {ColumnOf(Line, "[0.1]")}", ex.Place);
        Assert.Equal("'Electron_eta' has 1 values but 'Electron_pt' has 2: all columns of collection Electron must have the same length in an event.", ex.Detail);
    }

    [Fact]
    public void Count_key_not_matching_the_arrays_is_an_error()
    {
        using var dir = new TempDir();
        const string Line = "{\"nElectron\":3,\"Electron_pt\":[1.0,2.0],\"Electron_eta\":[0.1,0.2]}";
        string path = dir.Write("a.jsonl", "{\"nElectron\":1,\"Electron_pt\":[1.5],\"Electron_eta\":[0.5]}\n" + Line);

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {ColumnOf(Line, "3")}", ex.Place);
        Assert.Equal("'nElectron' is 3 but the Electron arrays have 2 values.", ex.Detail);
    }

    [Fact]
    public void Count_key_on_the_first_line_is_checked_too()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"Electron_pt\":[1.5],\"nElectron\":2}\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal("line 1, column 34", ex.Place);
        Assert.Equal("'nElectron' is 2 but the Electron arrays have 1 values.", ex.Detail);
    }

    [Fact]
    public void Tensor_rows_must_keep_their_shape()
    {
        using var dir = new TempDir();
        const string Line = "{\"image\":[[1,2,3],[4,5]],\"Electron_window\":[[1,2]]}";
        string path = dir.Write("a.jsonl", "{\"image\":[[1,2,3],[4,5,6]],\"Electron_window\":[[1,2]]}\n" + Line + "\n");

        InputDataException ex = ReadFails(path);

        Assert.Equal($"line 2, column {ColumnOf(Line, "[4,5]")}", ex.Place);
        Assert.Equal("'image': array has 2 values, expected 3 (row shape [2, 3]).", ex.Detail);
    }

    [Fact]
    public void Skip_mode_skips_counts_and_warns_and_keeps_the_good_events()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl",
            """
            {"run":1,"nElectron":1,"Electron_pt":[10.5]}
            {"run":2,"nElectron":2,"Electron_pt":[20.5,21.5]}
            {"run":3,"nElectron":1,"Electron_pt":[30.5,31.5]}
            {"run":4,
            {"run":5,"nElectron":0,"Electron_pt":[]}
            {"run":6,"nElectron":1,"Electron_pt":[60.5]}
            """);
        var context = new TestRunContext();
        using JsonLinesReader reader = Json.Reader([path], onError: JsonErrorAction.Skip, context: context);

        var data = Dataset.Of(reader.ReadBatches(2, CancellationToken.None));

        Assert.Equal(2, reader.SkippedLines);
        Assert.Equal([0L, 2], data.FirstEntries);
        Assert.Equal([1L, 2, 5, 6], data.Longs("run"));
        Assert.Equal([1, 2, 0, 1], data.Counts["Electron"]);
        Assert.Equal([10.5, 20.5, 21.5, 60.5], data.Doubles("Electron_pt"));
        Assert.Equal(3, context.Warnings.Count);
        Assert.StartsWith($"{path}: line 3, column 22: 'nElectron' is 1 but the Electron arrays have 2 values.", context.Warnings[0]);
        Assert.Equal($"{path}: line 4, column 9: Invalid JSON: Expected start of a property name or value, but instead reached end of data. " +
            "The line is skipped (on_error: skip).", context.Warnings[1]);
        Assert.Equal("json reader: skipped 2 malformed line(s) of 6 in 1 file(s).", context.Warnings[2]);
    }

    [Fact]
    public void Skip_mode_warns_for_the_first_ten_lines_then_only_counts()
    {
        using var dir = new TempDir();
        string bad = string.Concat(Enumerable.Repeat("{\"a\":\n", 13));
        string path = dir.Write("a.jsonl", bad + "{\"a\":1}\n" + bad);
        var context = new TestRunContext();
        using JsonLinesReader reader = Json.Reader([path], onError: JsonErrorAction.Skip, context: context);

        var data = Dataset.Of(reader.ReadBatches(10, CancellationToken.None));

        Assert.Equal(26, reader.SkippedLines);
        Assert.Equal([1L], data.Longs("a"));
        Assert.Equal(12, context.Warnings.Count);
        Assert.Contains("line 10,", context.Warnings[9]);
        Assert.Equal("json reader: skipped 26 malformed line(s) of 27 in 1 file(s).", context.Warnings[11]);
    }

    [Fact]
    public void Last_line_without_newline_is_read()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"a\":1}\n{\"a\":2}");

        Assert.Equal([1L, 2], Json.Read([path]).Longs("a"));
    }

    [Fact]
    public void Empty_file_yields_no_batches()
    {
        using var dir = new TempDir();
        string empty = dir.Write("empty.jsonl", "");
        string blank = dir.Write("blank.jsonl", "\n \r\n\t\n");
        using JsonLinesReader reader = Json.Reader([empty, blank]);

        Assert.Empty(reader.ReadBatches(10, CancellationToken.None));
        Assert.Equal(0, reader.CountEvents());
    }

    [Fact]
    public void Blank_lines_crlf_and_bom_are_accepted_and_line_numbers_stay_physical()
    {
        using var dir = new TempDir();
        string good = dir.Write("good.jsonl", "\uFEFF{\"a\":1,\"B_x\":[1.5]}\r\n\r\n   \r\n{\"a\":2,\"B_x\":[]}\r\n\t\n{\"a\":3,\"B_x\":[2.5,3.5]}\r\n");
        string bad = dir.Write("bad.jsonl", "\r\n{\"a\":1}\r\n\r\n{\"a\":x}\r\n");

        Dataset data = Json.Read([good]);

        Assert.Equal([1L, 2, 3], data.Longs("a"));
        Assert.Equal([1.5, 2.5, 3.5], data.Doubles("B_x"));
        Assert.Equal([1, 0, 2], data.Counts["B"]);
        Assert.Equal("line 4, column 6", ReadFails(bad).Place);
    }

    [Fact]
    public void NaN_and_infinity_strings_are_read_in_float_columns()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"x\":\"NaN\",\"v\":[\"Infinity\",\"-Infinity\",1]}\n{\"x\":\"-Infinity\",\"v\":[0,-0.0,\"NaN\"]}\n");

        Dataset data = Json.Read([path], types: new() { ["v"] = "float32" });

        Assert.Equal("float64", data.Columns["x"].Type);
        Assert.Equal([double.NaN, double.NegativeInfinity], data.Doubles("x"));
        float[] v = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.Columns["v"].Bytes).ToArray();
        Assert.Equal([float.PositiveInfinity, float.NegativeInfinity, 1f, 0f, -0f, float.NaN], v);
        Assert.True(float.IsNegative(v[4]));
    }

    [Fact]
    public void Batches_continue_across_files_with_global_first_entry()
    {
        using var dir = new TempDir();
        string a = dir.Write("a.jsonl", "{\"a\":0}\n{\"a\":1}\n{\"a\":2}\n");
        string b = dir.Write("b.jsonl", "{\"a\":3}\n{\"a\":4}");

        Dataset data = Json.Read([a, b], batchSize: 2);

        Assert.Equal([2, 2, 1], data.BatchSizes);
        Assert.Equal([0L, 2, 4], data.FirstEntries);
        Assert.Equal([0L, 1, 2, 3, 4], data.Longs("a"));
    }

    [Fact]
    public void A_later_file_must_have_the_same_keys()
    {
        using var dir = new TempDir();
        string a = dir.Write("a.jsonl", "{\"a\":0}\n");
        string b = dir.Write("b.jsonl", "{\"b\":3}\n");

        InputDataException ex = Assert.Throws<InputDataException>(() => Json.Read([a, b]));

        Assert.Equal(b, ex.File);
        Assert.Equal($"Unexpected key 'b': it is not on the first line (line 1 of {a}); every line must have the same keys.", ex.Detail);
    }

    [Fact]
    public void Count_events_counts_non_blank_lines_of_all_files()
    {
        using var dir = new TempDir();
        string a = dir.Write("a.jsonl", "{\"a\":0}\n\n{\"a\":1}\r\n  \n{\"a\":2}");
        string b = dir.Write("b.jsonl", "{\"a\":3}\n");
        using JsonLinesReader reader = Json.Reader([a, b]);

        Assert.Equal(4, reader.CountEvents());
    }

    [Fact]
    public void Glob_patterns_expand_sorted_and_missing_files_are_input_errors()
    {
        using var dir = new TempDir();
        dir.Write("b.jsonl", "{\"a\":2}\n");
        dir.Write("a.jsonl", "{\"a\":1}\n");
        dir.Write("c.txt", "{\"a\":3}\n");
        using JsonLinesReader reader = Json.Reader([Path.Combine(dir.Path, "*.jsonl")]);

        Assert.Equal([dir.File("a.jsonl"), dir.File("b.jsonl")], reader.InputFiles);
        Assert.Equal([1L, 2], Dataset.Of(reader.ReadBatches(5, CancellationToken.None)).Longs("a"));
        InputDataException missing = Assert.Throws<InputDataException>(() => Json.Reader([dir.File("none.jsonl")]));
        Assert.Equal(dir.File("none.jsonl"), missing.File);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
        InputDataException noMatch = Assert.Throws<InputDataException>(() => Json.Reader([Path.Combine(dir.Path, "*.root")]));
        Assert.Contains("No file matches the pattern", noMatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_must_name_existing_columns_and_known_types()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"nElectron\":1,\"Electron_pt\":[1.5]}\n");

        InputDataException ex = ReadFails(path, new() { ["Electron_ptt"] = "float32" });
        Assert.Equal("The reader's types: names 'Electron_ptt', which is not a key of the first line. Columns: Electron_pt.", ex.Detail);
        Assert.Equal("types", Assert.Throws<ConfigValueException>(() => Json.Reader([path], new() { ["Electron_pt"] = "float" })).Key);
    }

    [Fact]
    public void Skip_mode_takes_the_schema_from_the_first_good_line()
    {
        using var dir = new TempDir();
        string path = dir.Write("a.jsonl", "{\"a\":1,\n{\"a\":2,\"b\":[1.5]}\n");

        using JsonLinesReader reader = Json.Reader([path], onError: JsonErrorAction.Skip);
        var data = Dataset.Of(reader.ReadBatches(5, CancellationToken.None));

        Assert.Equal(1, reader.SkippedLines);
        Assert.Equal([0L], data.FirstEntries);
        Assert.Equal([2L], data.Longs("a"));
    }
}
