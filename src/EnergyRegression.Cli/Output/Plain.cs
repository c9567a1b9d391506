using Spectre.Console;

namespace EnergyRegression.Cli.Output;

/// <summary>A Spectre console on stdout that falls back to plain ASCII and a fixed width when redirected.</summary>
internal static class Plain
{
    public static IAnsiConsole Console { get; } = Create();

    private static IAnsiConsole Create()
    {
        bool redirected = System.Console.IsOutputRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
        });
        if (redirected)
        {
            // Files and pipes have no width: do not wrap table cells at 80 columns.
            console.Profile.Width = 240;
        }
        return console;
    }
}
