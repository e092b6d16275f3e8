using System;
using System.CommandLine;
using AutoGrad.Samples.Data;
using Spectre.Console;

namespace AutoGrad.Samples.Cli;

/// <summary>
/// The command line every sample shares (System.CommandLine): <c>--quick</c>, <c>--out DIR</c> and <c>--data FILE</c>.
/// It turns a missing or damaged data file into a clear message and <see cref="ExitCodes.DataProblem"/>, and a claim
/// that did not hold into <see cref="ExitCodes.ClaimFailed"/>.
/// </summary>
public static class SampleCommand
{
    /// <summary>Parses <paramref name="args"/>, runs the sample and returns the process exit code.</summary>
    /// <param name="args">The command-line arguments.</param>
    /// <param name="description">One line for <c>--help</c>.</param>
    /// <param name="run">The sample.</param>
    /// <param name="outputs">What the sample writes into <c>--out</c>, for <c>--help</c>.</param>
    public static int Run(string[] args, string description, Func<SampleOptions, SampleResult> run, string outputs = "the SVG charts and HTML reports")
    {
        ArgumentNullException.ThrowIfNull(run);
        var quick = new Option<bool>("--quick") { Description = "Short runs that finish in seconds (used by the tests)." };
        var output = new Option<string?>("--out") { Description = $"Folder for {outputs} (default: out/<sample>).", HelpName = "DIR" };
        var data = new Option<string>("--data")
        {
            Description = "The digits file (default: data/digits.csv.gz next to the sample).",
            HelpName = "FILE",
            DefaultValueFactory = _ => Digits.DefaultPath,
        };
        var root = new RootCommand(description) { quick, output, data };
        root.SetAction(parsed => Execute(new SampleOptions
        {
            Quick = parsed.GetValue(quick),
            OutputDirectory = parsed.GetValue(output),
            DataPath = parsed.GetValue(data) ?? Digits.DefaultPath,
            Console = ConsoleForOutput(),
        }, run));
        return root.Parse(args).Invoke();
    }

    /// <summary>The terminal; when output goes to a file or a pipe, Spectre.Console assumes 80 columns, too narrow for
    /// the monitor's per-layer table, so redirected output gets a wide page instead.</summary>
    private static IAnsiConsole ConsoleForOutput()
    {
        IAnsiConsole console = AnsiConsole.Console;
        if (Console.IsOutputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>Columns assumed when output is redirected.</summary>
    public const int RedirectedWidth = 230;

    /// <summary>Runs the sample with <paramref name="options"/> and maps the outcome to an exit code.</summary>
    public static int Execute(SampleOptions options, Func<SampleOptions, SampleResult> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        IAnsiConsole console = options.Console;
        SampleResult result;
        try
        {
            result = run(options);
        }
        catch (DataFileException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.DataProblem;
        }
        ClaimsTable.Write(console, result.Claims);
        return result.AllClaimsHold ? ExitCodes.Success : ExitCodes.ClaimFailed;
    }
}
