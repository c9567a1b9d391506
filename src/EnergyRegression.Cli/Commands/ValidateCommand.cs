using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg validate chain.yaml</c>: checks a chain without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML)." };
        var train = new Option<bool>("--train") { Description = "Check it as 'energyreg train' builds it: the model to train need not exist yet." };
        var command = new Command("validate",
            "Check a chain without running it: YAML syntax, plugin types, every key and value, plugin start-up.")
        {
            chain, train,
        };
        command.SetAction(parse =>
        {
            bool isVerbose = parse.GetValue(verbose);
            var output = new ConsoleOutput(isVerbose, quiet: false);
            try
            {
                new ChainRunner(output, output).Validate(parse.GetValue(chain)!.ToString(),
                    parse.GetValue(train) ? EnergyRegression.Running.RunMode.Train : EnergyRegression.Running.RunMode.Apply);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return ErrorReport.Handle(e, isVerbose);
            }
        });
        return command;
    }
}
