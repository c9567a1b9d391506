using System.CommandLine;
using EnergyRegression.Cli.Output;
using EnergyRegression.Core.Configuration;
using EnergyRegression.Core.Running;

namespace EnergyRegression.Cli.Commands;

/// <summary><c>energyreg validate chain.yaml</c>: checks a chain without running it.</summary>
internal static class ValidateCommand
{
    public static Command Create(Option<bool> verbose)
    {
        var chain = new Argument<FileInfo>("chain") { Description = "The chain file (YAML), or a workflow file." };
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
                string path = parse.GetValue(chain)!.ToString();
                var runner = new ChainRunner(output, output);
                if (WorkflowFile.TryLoad(path) is { } workflow)
                {
                    // A workflow's later steps read what earlier ones write (a model, a file): only the first step can be
                    // built now; the others are checked as far as their YAML and top-level keys.
                    for (int i = 0; i < workflow.Steps.Length; i++)
                    {
                        WorkflowStep step = workflow.Steps[i];
                        string stepChain = WorkflowFile.ChainPath(path, step);
                        if (i == 0)
                        {
                            runner.Validate(stepChain, step.Command == "train" ? EnergyRegression.Running.RunMode.Train : EnergyRegression.Running.RunMode.Apply);
                        }
                        else
                        {
                            ChainRunner.Load(stepChain);
                            output.Info($"{stepChain}: readable chain ({step.Command} step; its plugins start when the earlier steps have run)");
                        }
                    }
                    output.Info($"{path}: valid workflow '{workflow.Name}' of {workflow.Steps.Length} step(s)");
                    return ExitCodes.Success;
                }
                runner.Validate(path, parse.GetValue(train) ? EnergyRegression.Running.RunMode.Train : EnergyRegression.Running.RunMode.Apply);
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
