using Spectre.Console;

namespace EnergyRegression.Cli.Output;

/// <summary>A Spectre console on stdout that falls back to plain ASCII and a fixed width when redirected.</summary>
internal static class Plain
{
    public static IAnsiConsole Console { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Out),
        Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = InteractionSupport.No,
    });
}
