using System.Collections.Generic;
using System.Linq;
using AutoGrad.Health;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Data;
using AutoGrad.Samples.Reporting;
using AutoGrad.Samples.Training;
using Spectre.Console;

namespace ExplodingGradients;

/// <summary>
/// Two ways to make gradients explode on the digits, each followed by the changes that fix it: an MLP with large
/// initial weights and a high learning rate, and a vanilla RNN reading each image as 32 steps of 2 pixels. The health
/// monitor watches every step; the sample prints its report per run, its first alarm (step, where, why), the runs
/// side by side, and writes the SVG charts and HTML reports.
/// </summary>
public static class ExplodingSample
{
    /// <summary>Runs the sample.</summary>
    public static ExplodingResult Run(SampleOptions options)
    {
        IAnsiConsole console = options.Console;
        DigitsSplit data = DigitsSplit.Create(Digits.Load(options.DataPath));
        RunPlan[] mlp = Stories.Mlp(options.Quick), recurrent = Stories.Recurrent(options.Quick);
        console.MarkupLine($"[bold]Exploding gradients[/] on {data.Train.Count} handwritten digits (accuracy on {data.Test.Count} held out), " +
            "SGD with momentum 0.9. First a 6-layer ReLU MLP with large initial weights and a high learning rate, then a vanilla " +
            $"RNN reading each image as {Digits.Features / Stories.PixelsPerStep} steps of {Stories.PixelsPerStep} pixels; each is followed by the fixes.");

        IReadOnlyList<TrainingRun> runs = TrainingProgress.TrainAll(console, data, mlp.Concat(recurrent).ToList());
        TrainingRun[] mlpRuns = runs.Take(mlp.Length).ToArray(), recurrentRuns = runs.Skip(mlp.Length).ToArray();

        string output = options.OutputFor("ExplodingGradients");
        IReadOnlyList<string> folders = RunReports.Write(console, runs, output);
        SummaryTable.Write(console, "MLP: large initialization and a high learning rate, and three fixes", mlpRuns, Columns);
        SummaryTable.Write(console, "Vanilla RNN over 32-step sequences, and two fixes", recurrentRuns, Columns);
        console.MarkupLine($"Reports (SVG charts and an HTML page per run) are in [bold]{Markup.Escape(output)}[/]:");
        foreach (string folder in folders) console.MarkupLine($"  {Markup.Escape(folder)}");
        return new ExplodingResult(output, runs, options.Quick);
    }

    private static readonly SummaryColumn[] Columns =
    [
        new("loss, first → last 20 steps", r => $"{HealthFormat.Number(r.MeanLossOfFirst(20))} → {HealthFormat.Number(r.MeanLossOfLast(20))}"),
        new("max loss", r => HealthFormat.Number(r.MaxLoss)),
        new("max ‖g‖", r => HealthFormat.Number(r.MaxGlobalNorm)),
        new("steps run", r => r.StoppedEarly ? $"{r.Steps} (stopped)" : r.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("alarm steps", r => r.AlarmSteps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("first alarm", r => r.FirstAlarm is { } a ? $"step {a.Step} {a.Status.ToReportWord()}: {AlarmLocation.Describe(a)}" : "-"),
        SummaryTable.Status,
        SummaryTable.TestAccuracy,
        SummaryTable.Time,
    ];
}
