using System.CommandLine;
using System.Globalization;
using System.Text;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Plugins;
using EnergyRegression.Core.Running;
using EnergyRegression.Plugins;

namespace EnergyRegression.Cli.Commands;

/// <summary>
/// <c>energyreg simulate --process zee --events N --output FILE</c>: writes a simulated sample. It builds
/// the equivalent chain (reader <c>simulate</c>, the writer the file extension names) and runs it, so
/// the output, progress, cut flow and provenance are those of <c>energyreg run</c>; <c>--print-chain</c>
/// shows that chain instead.
/// </summary>
internal static class SimulateCommand
{
    /// <summary>Writer plugin by output file extension.</summary>
    private static readonly Dictionary<string, string> WriterByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".root"] = "root",
        [".jsonl"] = "json",
        [".json"] = "json",
        [".h5"] = "hdf5",
        [".hdf5"] = "hdf5",
    };

    public static Command Create(Option<bool> verbose)
    {
        var process = new Option<string>("--process", "-p") { Description = "zee (Z -> ee with fake electrons) or particle-gun.", DefaultValueFactory = _ => "zee" };
        process.AcceptOnlyFromAmong("zee", "particle-gun");
        var events = new Option<long>("--events", "-n") { Description = "Number of events.", DefaultValueFactory = _ => 10_000 };
        var mode = new Option<string>("--mode") { Description = "mc (with truth) or data (pseudo-data: other calibration, energy scale, smearing; no truth).", DefaultValueFactory = _ => "mc" };
        mode.AcceptOnlyFromAmong("mc", "data");
        var seed = new Option<int>("--seed") { Description = "Seed of the events' random streams.", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--output", "-o") { Description = "Output file; the format follows the extension: .root, .jsonl (or .json), .h5.", Required = true };
        var particle = new Option<string?>("--particle") { Description = "Particle gun: e+, e-, e (either charge) or gamma (default e+)." };
        var energy = new Option<string?>("--energy") { Description = "Particle gun: energy range LOW:HIGH in GeV (default 20:100), or one value." };
        var pt = new Option<string?>("--pt") { Description = "Particle gun: pT range LOW:HIGH in GeV, instead of --energy." };
        var eta = new Option<string?>("--eta") { Description = "Particle gun: eta range LOW:HIGH (default -1.4442:1.4442), or one value." };
        var phi = new Option<string?>("--phi") { Description = "Particle gun: phi range LOW:HIGH in radians (default -pi:pi), or one value." };
        var pileup = new Option<double?>("--pileup") { Description = "Mean number of pile-up interactions <mu> (default 0)." };
        var endcap = new Option<bool>("--endcap") { Description = "Simulate the endcaps too: the default (kept for older commands)." };
        var barrelOnly = new Option<bool>("--barrel-only") { Description = "Simulate the barrel only: no endcaps, no preshower." };
        var window = new Option<int?>("--window") { Description = "Side of the stored crystal window (default 32)." };
        var firstEvent = new Option<long?>("--first-event") { Description = "Number of the first event (for a sample produced in pieces)." };
        var threads = new Option<int?>("--threads", "-j") { Description = "Threads (default: one per core); the events do not depend on it." };
        var batchSize = new Option<int?>("--batch-size") { Description = "Events per batch (default 1000)." };
        var printChain = new Option<bool>("--print-chain") { Description = "Print the equivalent chain (YAML) for 'energyreg run' and exit." };
        var deadCrystalMap = new Option<string?>("--dead-crystal-map") { Description = "Also write the detector's dead crystals to this JSON file (for the quality selection)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only warnings and errors; no progress." };
        var format = new Option<string?>("--format") { Description = ".root output: ttree (default) or rntuple (ROOT's RNTuple, docs/formats/rntuple.md)." };
        var command = new Command("simulate", "Write a simulated sample (Z -> ee or a particle gun, MC or pseudo-data) to a ROOT, JSON Lines or HDF5 file.")
        {
            process, events, mode, seed, output, particle, energy, pt, eta, phi, pileup, endcap, barrelOnly, window, firstEvent, threads, batchSize, deadCrystalMap, printChain, quiet, format,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var console = new ConsoleOutput(isVerbose, parse.GetValue(quiet));
            try
            {
                string outputPath = parse.GetValue(output)!;
                string extension = Path.GetExtension(outputPath);
                if (!WriterByExtension.TryGetValue(extension, out string? writer))
                {
                    Console.Error.WriteLine($"energyreg: usage error: --output {outputPath}: unknown extension '{extension}'; use .root, .jsonl, .json, .h5 or .hdf5");
                    return ExitCodes.Usage;
                }
                var writerKeys = new List<(string Key, string Value)>();
                if (parse.GetValue(format) is { } rootFormat)
                {
                    if (writer != "root" || rootFormat is not ("ttree" or "rntuple"))
                    {
                        Console.Error.WriteLine($"energyreg: usage error: --format {rootFormat}: give ttree or rntuple, for a .root output");
                        return ExitCodes.Usage;
                    }
                    writerKeys.Add(("format", rootFormat));
                }
                var keys = new List<(string Key, string Value)>
                {
                    ("process", parse.GetValue(process)!),
                    ("events", Number(parse.GetValue(events))),
                    ("mode", parse.GetValue(mode)!),
                };
                AddIf(keys, "first_event", parse.GetValue(firstEvent));
                AddIf(keys, "particle", parse.GetValue(particle));
                AddRange(keys, "energy", parse.GetValue(energy));
                AddRange(keys, "pt", parse.GetValue(pt));
                AddRange(keys, "eta", parse.GetValue(eta));
                AddRange(keys, "phi", parse.GetValue(phi));
                AddIf(keys, "pileup", parse.GetValue(pileup));
                if (parse.GetValue(barrelOnly))
                {
                    if (parse.GetValue(endcap))
                    {
                        Console.Error.WriteLine("energyreg: usage error: --endcap and --barrel-only contradict each other");
                        return ExitCodes.Usage;
                    }
                    keys.Add(("endcap", "false"));
                }
                AddIf(keys, "window", parse.GetValue(window));
                AddIf(keys, "threads", parse.GetValue(threads));
                AddIf(keys, "dead_crystal_map", parse.GetValue(deadCrystalMap));
                string text = ChainText(parse.GetValue(seed), parse.GetValue(batchSize) ?? 1000, keys, writer, outputPath, writerKeys);
                if (parse.GetValue(printChain))
                {
                    Console.Out.Write(text);
                    return ExitCodes.Success;
                }

                var file = ChainFile.Parse(text, "energyreg simulate");
                PluginCatalog catalog = new PluginLoader().LoadCatalog([]);
                if (catalog.Find(PluginKind.Writer, writer) is null)
                {
                    throw new ConfigurationException(outputPath, 0, 0,
                        $"no '{writer}' writer plugin is installed for {extension} files; installed writers: {string.Join(", ", catalog.NamesOf(PluginKind.Writer))}");
                }
                var overrides = new RunOverrides { Threads = parse.GetValue(threads) };
                RunSummary summary = await new ChainRunner(console, console).RunAsync(file, catalog, overrides, cancellation);
                Summary.Print(summary);
                return ExitCodes.Success;
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"energyreg: usage error: {e.Message}");
                return ExitCodes.Usage;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return command;
    }

    /// <summary>The chain <c>energyreg run</c> would need to produce the same file.</summary>
    internal static string ChainText(int seed, int batchSize, List<(string Key, string Value)> readerKeys, string writer, string outputPath,
        List<(string Key, string Value)>? writerKeys = null)
    {
        var text = new StringBuilder();
        text.AppendLine("# written by: energyreg simulate (run it again with: energyreg run THIS_FILE)");
        text.AppendLine("name: simulate");
        text.AppendLine(CultureInfo.InvariantCulture, $"seed: {seed}");
        text.AppendLine(CultureInfo.InvariantCulture, $"batch_size: {batchSize}");
        text.AppendLine("reader:");
        text.AppendLine("  type: simulate");
        text.AppendLine("  with:");
        foreach ((string key, string value) in readerKeys)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {key}: {value}");
        }
        text.AppendLine("writer:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  type: {writer}");
        text.AppendLine("  with:");
        text.AppendLine(CultureInfo.InvariantCulture, $"    path: {Quote(outputPath)}");
        foreach ((string key, string value) in writerKeys ?? [])
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {key}: {value}");
        }
        return text.ToString();
    }

    private static void AddIf<T>(List<(string, string)> keys, string key, T? value) where T : struct, IFormattable
    {
        if (value is { } v)
        {
            keys.Add((key, v.ToString(null, CultureInfo.InvariantCulture)));
        }
    }

    private static void AddIf(List<(string, string)> keys, string key, string? value)
    {
        if (value is not null)
        {
            keys.Add((key, Quote(value)));
        }
    }

    /// <summary><c>LOW:HIGH</c> or one value → <c>[LOW, HIGH]</c>; <c>pi</c> allowed (e.g. <c>-pi:pi</c>, <c>pi/2</c>).</summary>
    private static void AddRange(List<(string, string)> keys, string key, string? value)
    {
        if (value is null)
        {
            return;
        }
        string[] parts = value.Split(':');
        if (parts.Length is not (1 or 2))
        {
            throw new FormatException($"--{key} {value}: give LOW:HIGH or one value");
        }
        double low = ParseNumber(key, parts[0]);
        double high = parts.Length == 2 ? ParseNumber(key, parts[1]) : low;
        keys.Add((key, $"[{Number(low)}, {Number(high)}]"));
    }

    private static double ParseNumber(string key, string text)
    {
        string t = text.Trim().ToLowerInvariant();
        double sign = t.StartsWith('-') ? -1 : 1;
        t = t.TrimStart('-', '+');
        if (t.StartsWith("pi", StringComparison.Ordinal))
        {
            string rest = t[2..];
            double divisor = rest.Length == 0 ? 1 : rest.StartsWith('/') && double.TryParse(rest[1..], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d != 0 ? d : double.NaN;
            if (!double.IsNaN(divisor))
            {
                return sign * Math.PI / divisor;
            }
        }
        else if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return sign * number;
        }
        throw new FormatException($"--{key}: '{text}' is not a number (pi and pi/N are allowed)");
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A YAML double-quoted scalar.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
