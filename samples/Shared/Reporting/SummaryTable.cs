using System;
using System.Collections.Generic;
using AutoGrad.Health;
using AutoGrad.Reports;
using AutoGrad.Samples.Training;
using Spectre.Console;

namespace AutoGrad.Samples.Reporting;

/// <summary>One column of a side-by-side table: a header and how to read a run's cell.</summary>
/// <param name="Header">The column's header.</param>
/// <param name="Cell">The cell's plain text for a run.</param>
public sealed record SummaryColumn(string Header, Func<TrainingRun, string> Cell);

/// <summary>Runs side by side, one row each, with the status colored as the monitor's own table colors it.</summary>
public static class SummaryTable
{
    /// <summary>The status column.</summary>
    public static readonly SummaryColumn Status = new("status", r => r.Status.ToReportWord());

    /// <summary>The test-accuracy column.</summary>
    public static readonly SummaryColumn TestAccuracy = new("test accuracy", r => HealthFormat.Percent(r.TestAccuracy));

    /// <summary>The training-time column.</summary>
    public static readonly SummaryColumn Time = new("time", r => $"{r.Elapsed.TotalSeconds:0.0} s");

    /// <summary>Writes the table: the run's name first, then <paramref name="columns"/>.</summary>
    public static void Write(IAnsiConsole console, string title, IReadOnlyList<TrainingRun> runs, IReadOnlyList<SummaryColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(title)}[/]");
        table.AddColumn("run");
        foreach (SummaryColumn c in columns) table.AddColumn(new TableColumn(Markup.Escape(c.Header)).RightAligned());
        foreach (TrainingRun run in runs)
        {
            var cells = new List<string> { Markup.Escape(run.Name) };
            foreach (SummaryColumn c in columns)
            {
                string text = Markup.Escape(c.Cell(run));
                cells.Add(ReferenceEquals(c, Status) ? $"[{ConsoleReport.StatusStyle(run.Status)}]{text}[/]" : text);
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }
}
