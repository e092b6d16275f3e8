using System;
using AutoGrad.Health;
using Spectre.Console;

namespace AutoGrad.Reports;

/// <summary>Prints a <see cref="HealthReport"/> with Spectre.Console: the step summary, the per-layer table in depth
/// order, the non-finite origin and the advice.</summary>
public static class ConsoleReport
{
    /// <summary>Writes the report to <paramref name="console"/> (the terminal when null).</summary>
    public static void Write(HealthReport report, IAnsiConsole? console = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        console ??= AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(report.Method)}[/] {Markup.Escape(report.Summary())}");
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
