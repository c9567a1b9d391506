using System.CommandLine;
using EnergyRegression.Cli;
using EnergyRegression.Cli.Commands;

// energyreg: calibrate electron and photon energies with machine learning. Commands and exit codes are
// documented in the README; the codes are defined in ExitCodes.cs.
var verbose = new Option<bool>("--verbose", "-v") { Description = "Show debug messages and stack traces.", Recursive = true };
var root = new RootCommand("energyreg — calibrate electron and photon energies in electromagnetic calorimeters with machine learning.")
{
    verbose,
    RunCommand.Create(verbose),
    GridCommands.Submit(verbose),
    GridCommands.Status(verbose),
    GridCommands.Resubmit(verbose),
    GridCommands.Merge(verbose),
    TrainCommand.Create(verbose),
    EvaluateCommand.Create(verbose),
    ModelCommand.Create(verbose),
    SimulateCommand.Create(verbose),
    ValidateCommand.Create(verbose),
    PluginsCommand.Create(verbose),
    SchemaCommand.Create(verbose),
    InspectCommand.Create(verbose),
    DumpCommand.Create(verbose),
};

ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
{
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine($"energyreg: usage error: {error.Message}");
    }
    Console.Error.WriteLine("energyreg: see 'energyreg --help'");
    return ExitCodes.Usage;
}
return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
