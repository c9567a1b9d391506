using EnergyRegression.ApiDocs;

// Writes the API reference of EnergyRegression.Abstractions and EnergyRegression.Testing (docs/api) into the folder given:
//   dotnet EnergyRegression.ApiDocs.dll OUTPUT_FOLDER [--examples PAGES_FOLDER]
// Pages that no public type has any more are removed; the folder holds the reference only. With --examples, the code
// blocks of the plugin pages that show a file whole are rewritten from the files (paths relative to the current directory).
if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--examples"))
{
    Console.Error.WriteLine("usage: EnergyRegression.ApiDocs OUTPUT_FOLDER [--examples PAGES_FOLDER]");
    return 2;
}
if (args.Length == 3)
{
    Console.WriteLine($"example blocks: {ExampleBlocks.Sync(args[2], Directory.GetCurrentDirectory())} page(s) updated in {args[2]}");
}
var reference = new ApiReference(
[
    (typeof(EnergyRegression.Data.EventBatch).Assembly,
        "The contracts every plugin compiles against: the plugin interfaces, the columnar event batch, config base types, model files. "
        + "energyreg provides this assembly at run time (reference it with `ExcludeAssets=\"runtime\"`)."),
    (typeof(EnergyRegression.Testing.PluginHarness).Assembly,
        "Test helpers for plugins: an in-memory run context, provenance, batch builders, a small simulated sample, batch comparisons, "
        + "and a harness running a plugin as energyreg does."),
]);
IReadOnlyDictionary<string, string> pages = reference.Pages();
string folder = Path.GetFullPath(args[0]);
Directory.CreateDirectory(folder);
foreach (string stale in Directory.EnumerateFiles(folder, "*.md").Where(f => !pages.ContainsKey(Path.GetFileName(f))))
{
    File.Delete(stale);
}
foreach ((string name, string text) in pages)
{
    string path = Path.Combine(folder, name);
    if (!File.Exists(path) || File.ReadAllText(path) != text)
    {
        File.WriteAllText(path, text);
    }
}
Console.WriteLine($"API reference: {pages.Count} pages in {folder}");
return 0;
