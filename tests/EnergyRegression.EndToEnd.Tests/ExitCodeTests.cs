namespace EnergyRegression.EndToEnd.Tests;

/// <summary>Every error class ends with one clear message and its documented exit code (README, "Exit codes").</summary>
public sealed class ExitCodeTests
{
    private static string Reader(string file) => $$"""
        reader:
          type: json
          with:
            files: ["{{file}}"]
        """;

    [Fact]
    public void Configuration_error_exits_3_with_file_line_and_column()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Reader(Tool.SampleData) + "\nbach_size: 10\n");
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{chain}:5:1: unknown key 'bach_size'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'batch_size'", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_column_in_an_expression_is_a_configuration_error_at_the_expression()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Reader(Tool.SampleData) + """

            stages:
              - type: filter
                with:
                  expression: "Electron_ptt > 25"
            """);
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"{chain}:8:19: 'expression':", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Electron_ptt", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'Electron_pt'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_error_exits_4_and_names_file_and_line()
    {
        using var work = new TempDirectory();
        string data = work.Write("bad.jsonl", "{\"rho\": 1.5}\n{\"rho\": 2.5\n{\"rho\": 3.5}\n");
        string chain = work.Write("chain.yaml", Reader(data) + "\nwriter:\n  type: json\n  with:\n    path: out.jsonl\n");
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("bad.jsonl: line 2", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out.jsonl")), "no output may look complete after a failed run");
        Assert.Empty(Directory.GetFiles(work.Path, "*.partial"));
    }

    [Fact]
    public void Missing_input_file_exits_4()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Reader(work.File("nowhere.jsonl")));
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(4, result.ExitCode);
        Assert.Contains("nowhere.jsonl", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Plugin_that_throws_exits_5_names_the_plugin_and_leaves_no_output()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Reader(Tool.SampleData) + $"""

            plugins: ["{Tool.FaultyPluginDir}"]
            batch_size: 10
            stages:
              - name: breaks here
                type: faulty
                with: {"{"}at_entry: 25{"}"}
            writer:
              type: json
              with:
                path: out/result.jsonl
            """);
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("plugin error", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'breaks here' (stages[0], feature 'faulty' from FaultyPlugin", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("deliberate failure at entry 25", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(work.File("out/result.jsonl")));
        Assert.False(File.Exists(work.File("out/result.cutflow.json")));
        Assert.Empty(Directory.Exists(work.File("out")) ? Directory.GetFiles(work.File("out")) : []);
    }

    [Fact]
    public void Plugin_that_throws_in_its_constructor_exits_5()
    {
        using var work = new TempDirectory();
        string chain = work.Write("chain.yaml", Reader(Tool.SampleData) + $"""

            plugins: ["{Tool.FaultyPluginDir}"]
            stages:
              - type: faulty
                with: {"{"}fail_in: constructor{"}"}
            """);
        Tool.Result result = Tool.Run(work.Path, "validate", chain);
        Assert.Equal(5, result.ExitCode);
        Assert.Contains("deliberate failure in the constructor", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_error_exits_2()
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, "run", "a.yaml", "--threads", "many");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("usage error", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwritable_output_exits_1_as_a_runtime_failure()
    {
        using var work = new TempDirectory();
        work.Write("blocker", "a file where the writer wants a directory");
        string chain = work.Write("chain.yaml", Reader(Tool.SampleData) + "\nwriter:\n  type: json\n  with:\n    path: blocker/out.jsonl\n");
        Tool.Result result = Tool.Run(work.Path, "run", chain);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("blocker", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("run", "--help")]
    [InlineData("validate", "--help")]
    [InlineData("plugins", "--help")]
    public void Every_command_has_help(params string[] args)
    {
        using var work = new TempDirectory();
        Tool.Result result = Tool.Run(work.Path, args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }
}
