using System;
using System.CommandLine;
using AutoGrad.Samples.Data;
using Spectre.Console;

namespace AutoGrad.Samples.Cli;

/// <summary>
/// The command line every sample shares (System.CommandLine): <c>--quick</c>, <c>--out DIR</c> and <c>--data FILE</c>.
/// It turns a missing or damaged data file into a clear message and <see cref="ExitCodes.DataProblem"/>, a claim
/// that did not hold into <see cref="ExitCodes.ClaimFailed"/>, and any other exception into <see cref="ExitCodes.Failed"/>.
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
            ErrorConsole = ConsoleForErrors(),
        }, run));
        ParseResult parsed = root.Parse(args);
        // System.CommandLine prints the errors and the usage; the exit code must not read as "a claim did not hold".
        int code = parsed.Invoke();
        return parsed.Errors.Count > 0 ? ExitCodes.UsageProblem : code;
    }

    /// <summary>Standard error, plain when it is redirected.</summary>
    private static IAnsiConsole ConsoleForErrors()
    {
        bool plain = Console.IsErrorRedirected;
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Error),
        });
        if (plain) console.Profile.Width = 10_000; // one message a line, however long, not wrapped at 80 columns
        return console;
    }

    /// <summary>The terminal; when output goes to a file or a pipe, plain text on a wide page (Spectre.Console would
    /// assume 80 columns, too narrow for the monitor's per-layer table).</summary>
    private static IAnsiConsole ConsoleForOutput()
    {
        if (!Console.IsOutputRedirected) return AnsiConsole.Console;
        // A log file gets plain text: no colours, no bold, no cursor movement.
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>Why the reports cannot go to <paramref name="directory"/>, or null if they can: the folder is created
    /// and a file written and deleted in it.</summary>
    public static string? OutputProblem(string directory)
    {
        if (directory.Trim().Length == 0) return "the path is empty";
        try
        {
            string full = System.IO.Path.GetFullPath(directory);
            if (System.IO.File.Exists(full)) return "it is a file, not a folder";
            System.IO.Directory.CreateDirectory(full);
            string probe = System.IO.Path.Combine(full, ".write-test-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            System.IO.File.WriteAllBytes(probe, []);
            System.IO.File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return e.Message;
        }
    }

    /// <summary>Columns assumed when output is redirected.</summary>
    public const int RedirectedWidth = 230;

    /// <summary>Runs the sample with <paramref name="options"/> and maps the outcome to an exit code.</summary>
    public static int Execute(SampleOptions options, Func<SampleOptions, SampleResult> run)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(run);
        IAnsiConsole console = options.Console;
        // Checked before training, which may take minutes, rather than when the first report is written.
        if (options.OutputDirectory is { } requested && OutputProblem(requested) is { } problem)
        {
            options.Errors.MarkupLine($"[red]error:[/] cannot write the reports to '{Markup.Escape(requested)}': {Markup.Escape(problem.TrimEnd('.'))}.");
            return ExitCodes.UsageProblem;
        }
        SampleResult result;
        try
        {
            result = run(options);
        }
        catch (DataFileException e)
        {
            options.Errors.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return ExitCodes.DataProblem;
        }
        catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException)
        {
            options.Errors.MarkupLine($"[red]error:[/] a report could not be written: {Markup.Escape(e.Message)}");
            return ExitCodes.UsageProblem;
        }
        catch (Exception e)
        {
            // Anything else is no verdict on the claims: a distinct code, and the whole exception for a bug report.
            options.Errors.MarkupLine($"[red]error:[/] the sample failed: {Markup.Escape(e.ToString())}");
            return ExitCodes.Failed;
        }
        ClaimsTable.Write(console, result.Claims);
        return result.AllClaimsHold ? ExitCodes.Success : ExitCodes.ClaimFailed;
    }
}
