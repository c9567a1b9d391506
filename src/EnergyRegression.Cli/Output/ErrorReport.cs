using EnergyRegression.Core;
using EnergyRegression.Plugins;

namespace EnergyRegression.Cli.Output;

/// <summary>Turns an exception into one message on stderr and an exit code; the stack trace only with --verbose.</summary>
internal static class ErrorReport
{
    public static int Handle(Exception error, bool verbose)
    {
        if (error is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            error = aggregate.InnerExceptions[0];
        }
        (int code, string kind) = error switch
        {
            ConfigurationException or ConfigValueException => (ExitCodes.Configuration, "configuration error"),
            InputDataException => (ExitCodes.Input, "input error"),
            EnergyRegression.Root.RootFormatException => (ExitCodes.Input, "input error"),
            PluginException => (ExitCodes.Plugin, "plugin error"),
            UsageException => (ExitCodes.Usage, "usage error"),
            EnergyRegression.Core.Grid.IncompleteException => (ExitCodes.Incomplete, "incomplete"),
            OperationCanceledException => (ExitCodes.Interrupted, "interrupted"),
            _ => (ExitCodes.RuntimeFailure, "failure"),
        };
        string message = code == ExitCodes.RuntimeFailure ? $"{error.GetType().Name}: {error.Message}" : error.Message;
        if (code == ExitCodes.Interrupted)
        {
            message = "stopped before the end; no output was committed";
        }
        Console.Error.WriteLine($"energyreg: {kind}: {message}");
        if (verbose)
        {
            Console.Error.WriteLine(error.ToString());
        }
        else if (code is ExitCodes.RuntimeFailure or ExitCodes.Plugin)
        {
            Console.Error.WriteLine("energyreg: run with --verbose for the full stack trace");
        }
        return code;
    }
}
