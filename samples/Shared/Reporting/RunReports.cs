using System.Collections.Generic;
using AutoGrad.Health;
using AutoGrad.Reports;
using AutoGrad.Samples.Training;
using Spectre.Console;

namespace AutoGrad.Samples.Reporting;

/// <summary>Prints each run's health report (the monitor's own console table and advice) and writes its files.</summary>
public static class RunReports
{
    /// <summary>For every run: a heading, an optional note on what to look for, the report; then its charts and HTML
    /// page under <paramref name="outputDirectory"/>. Returns each run's folder, in order.</summary>
    public static IReadOnlyList<string> Write(IAnsiConsole console, IReadOnlyList<TrainingRun> runs, string outputDirectory,
        IReadOnlyDictionary<string, string>? notes = null)
    {
        var folders = new List<string>(runs.Count);
        foreach (TrainingRun run in runs)
        {
            console.Write(new Rule($"[bold]{Markup.Escape(run.Name)}[/]").LeftJustified());
            if (notes is not null && notes.TryGetValue(run.Name, out string? note))
            {
                console.MarkupLine($"[grey]{Markup.Escape(note)}[/]");
            }
            ConsoleReport.Write(run.Report, console);
            if (run.FirstAlarm is { } alarm && !ReferenceEquals(alarm, run.Report) && alarm.Step != run.Report.Step)
            {
                console.MarkupLine($"[bold]First alarm[/] at step {alarm.Step}: {Markup.Escape(alarm.Summary())}");
                if (alarm.NonFinite is { } origin) console.MarkupLine($"  NON-FINITE: {Markup.Escape(origin.Describe())}");
                foreach (HealthAdvice advice in alarm.Advice)
                {
                    console.MarkupLine($"  {Markup.Escape(advice.ToString())}");
                }
            }
            folders.Add(ReportFiles.Write(run.Report, outputDirectory, run.Name));
            console.WriteLine();
        }
        return folders;
    }
}
