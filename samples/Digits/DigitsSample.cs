using System.Collections.Generic;
using AutoGrad.Health;
using AutoGrad.Init;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Reports;
using AutoGrad.Samples.Cli;
using AutoGrad.Samples.Data;
using AutoGrad.Samples.Reporting;
using AutoGrad.Samples.Training;
using Spectre.Console;

namespace DigitsTraining;

/// <summary>
/// Training as a user writes it, with nothing hidden in a helper: He-initialized weights, Adam, the generated
/// probed gradient, the monitor's Record/skip/stop protocol and clipping, a test-set check every few hundred steps.
/// </summary>
public static class DigitsSample
{
    /// <summary>The test accuracy this sample states it reaches: 95%, or 90% after the short --quick run.</summary>
    public static double StatedAccuracy(bool quick) => quick ? 0.90 : 0.95;

    /// <summary>Steps: 1,500 by default (about 67 epochs of 64-image batches), 300 with --quick.</summary>
    public static int StepsFor(bool quick) => quick ? 300 : 1500;

    /// <summary>Adam's learning rate.</summary>
    public const float LearningRate = 1e-3f;

    /// <summary>Runs the sample.</summary>
    public static DigitsResult Run(SampleOptions options)
    {
        IAnsiConsole console = options.Console;
        DigitsSplit data = DigitsSplit.Create(Digits.Load(options.DataPath));
        int steps = StepsFor(options.Quick), every = steps / 5;
        console.MarkupLine($"[bold]Digits[/]: a 64-128-64-10 ReLU network, He initialization, Adam (lr {LearningRate}), {steps} steps " +
            $"of 64 images from {data.Train.Count}; the gradient-health monitor reads every step. Stated test accuracy: " +
            $"{HealthFormat.Percent(StatedAccuracy(options.Quick))} on {data.Test.Count} held-out digits.");

        // Parameters and their gradients, named as the generated probe layout names them.
        int[] n = DigitsNet.Sizes;
        Tensor w1 = Tensor.Zeros(n[1], n[0]), b1 = Tensor.Zeros(n[1]), w2 = Tensor.Zeros(n[2], n[1]), b2 = Tensor.Zeros(n[2]);
        Tensor w3 = Tensor.Zeros(n[3], n[2]), b3 = Tensor.Zeros(n[3]);
        Initializers.HeNormal(w1, seed: 1);
        Initializers.HeNormal(w2, seed: 2);
        Initializers.XavierNormal(w3, seed: 3); // the output layer has no ReLU after it
        Tensor dW1 = Tensor.Zeros(n[1], n[0]), dB1 = Tensor.Zeros(n[1]), dW2 = Tensor.Zeros(n[2], n[1]), dB2 = Tensor.Zeros(n[2]);
        Tensor dW3 = Tensor.Zeros(n[3], n[2]), dB3 = Tensor.Zeros(n[3]);
        var parameters = new ParameterList { { "w1", w1, dW1 }, { "b1", b1, dB1 }, { "w2", w2, dW2 }, { "b2", b2, dB2 }, { "w3", w3, dW3 }, { "b3", b3, dB3 } };

        var optimizer = new Adam(parameters);
        var probes = new GradientProbes(DigitsNet.LossProbeLayout);
        var monitor = new HealthMonitor(DigitsNet.LossProbeLayout, new HealthOptions { ClipGlobalNorm = 5 });
        var changes = new List<HealthStatusChangedEventArgs>();
        monitor.StatusChanged += (_, e) => changes.Add(e);
        var batches = new BatchSampler(data.Train, batchSize: 64, seed: 7);
        LogitsFunction logits = x => DigitsNet.Logits(w1, b1, w2, b2, w3, b3, x);
        var checkpoints = new List<Checkpoint>();

        void Train(System.Action tick)
        {
            for (int step = 0; step < steps && !monitor.ShouldStop; step++)
            {
                batches.Next();
                float loss = DigitsNet.LossGradient(w1, b1, w2, b2, w3, b3, batches.X, batches.Labels, dW1, dB1, dW2, dB2, dW3, dB3, probes);
                monitor.Record(step, loss, probes, LearningRate, parameters); // classify, clip, maybe veto
                if (!monitor.ShouldSkipUpdate) optimizer.Step(LearningRate);
                if ((step + 1) % every == 0)
                {
                    checkpoints.Add(new Checkpoint(step + 1, loss, monitor.Status, Accuracy.Of(logits, data.Test)));
                }
                tick();
            }
        }

        if (console.Profile.Capabilities.Interactive)
        {
            console.Progress().AutoClear(false).Start(context =>
            {
                ProgressTask task = context.AddTask("training", maxValue: steps);
                Train(() => task.Increment(1));
            });
        }
        else
        {
            Train(() => { }); // a log or a pipe: the checkpoints below say how training went
        }

        WriteCheckpoints(console, checkpoints);
        foreach (HealthStatusChangedEventArgs e in changes) console.MarkupLine($"[grey]status change: {Markup.Escape(e.ToString())}[/]");
        HealthReport report = monitor.Report();
        ConsoleReport.Write(report, console);
        string output = options.OutputFor("Digits");
        string folder = ReportFiles.Write(report, output, "digits");
        console.MarkupLine($"Reports (SVG charts and an HTML page) are in [bold]{Markup.Escape(folder)}[/]");
        return new DigitsResult(output, report, checkpoints, StatedAccuracy(options.Quick));
    }

    private static void WriteCheckpoints(IAnsiConsole console, IReadOnlyList<Checkpoint> checkpoints)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Progress[/]");
        foreach (string header in new[] { "step", "batch loss", "monitor", "test accuracy" }) table.AddColumn(new TableColumn(header).RightAligned());
        foreach (Checkpoint c in checkpoints)
        {
            table.AddRow(c.Step.ToString(System.Globalization.CultureInfo.InvariantCulture), HealthFormat.Number(c.Loss),
                $"[{ConsoleReport.StatusStyle(c.Status)}]{c.Status.ToReportWord()}[/]", HealthFormat.Percent(c.TestAccuracy));
        }
        console.Write(table);
    }
}
