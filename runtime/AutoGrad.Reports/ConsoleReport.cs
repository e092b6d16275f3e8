using System;
using AutoGrad.Health;
using Spectre.Console;

namespace AutoGrad.Reports;

/// <summary>Prints a <see cref="HealthReport"/> with Spectre.Console: the step summary, the per-layer table in depth
/// order, the non-finite origin and the advice.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the report to <paramref name="console"/> (the terminal when null; when the output is redirected to
    /// a file or a pipe, a console as wide as <c>COLUMNS</c> says, or 200 columns).</summary>
    public static void Write(HealthReport report, IAnsiConsole? console = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        console ??= Console.IsOutputRedirected ? RedirectedConsole(Environment.GetEnvironmentVariable("COLUMNS")) : AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(report.Method)}[/] {Markup.Escape(report.Summary())}");
        // Before the first Record there are no readings: a table of OK rows and zeros would be verdicts on nothing.
        if (report.Step < 0) return;
        console.Write(BuildTable(report));
        if (report.NonFinite is not null)
        {
            console.MarkupLine($"[purple]NON-FINITE:[/] {Markup.Escape(report.NonFinite.Describe())}");
        }
        foreach (HealthAdvice advice in report.Advice)
        {
            console.MarkupLine($"[bold]{Markup.Escape(advice.Subject)} {Markup.Escape(advice.Trigger)}[/]: " +
                $"{Markup.Escape(advice.Reading)} [grey]({Markup.Escape(advice.Threshold)})[/] -> {Markup.Escape(advice.Suggestion)}");
        }
    }

    /// <summary>
    /// A console for redirected output (a training log): with no terminal, Spectre.Console assumes 80 columns, which
    /// wraps the per-layer table's 13 columns into an unreadable block. Its own instance, so the process's
    /// <see cref="AnsiConsole.Console"/> keeps its settings.
    /// </summary>
    /// <param name="columns">The <c>COLUMNS</c> environment variable, or null.</param>
    /// <returns>A console writing to standard output, <paramref name="columns"/> wide (at least <see cref="MinimumWidth"/>), or 200
    /// when it is not a positive number.</returns>
    public static IAnsiConsole RedirectedConsole(string? columns)
    {
        // Plain text: Spectre.Console decides colour support from TERM, not from whether the output is a terminal, so a
        // log written under TERM=xterm got escape codes.
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = int.TryParse(columns, out int width) && width > 0 ? Math.Max(width, MinimumWidth) : 200;
        return console;
    }

    /// <summary>
    /// The narrowest redirected console: below it Spectre.Console cannot lay out the table's 13 columns and drew empty
    /// cells (40 columns) or only "…" (under 36). A log line that wraps is better than a table that is not there.
    /// </summary>
    public const int MinimumWidth = 160;

    /// <summary>The per-layer table, one row per depth, input first.</summary>
    public static Table BuildTable(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (string header in ReportColumns.Headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }
        foreach (LayerHealth layer in report.Layers)
        {
            var cells = ReportColumns.Cells(layer);
            var row = new Markup[cells.Count];
            for (int i = 0; i < cells.Count; i++)
            {
                bool isStatus = i == ReportColumns.Headers.Length - 2;
                row[i] = isStatus
                    ? new Markup($"[{StatusStyle(layer.Status)}]{Markup.Escape(cells[i])}[/]")
                    : new Markup(Markup.Escape(cells[i]));
            }
            table.AddRow(row);
        }
        return table;
    }

    /// <summary>The Spectre.Console color the reports give a status (green OK, blue VANISHING, red EXPLODING, ...).</summary>
    public static string StatusStyle(HealthStatus status) => status switch
    {
        HealthStatus.Ok => "green",
        HealthStatus.Vanishing => "blue",
        HealthStatus.Exploding => "red",
        HealthStatus.NonFinite => "purple",
        HealthStatus.Saturated => "darkorange",
        _ => "grey",
    };
}
