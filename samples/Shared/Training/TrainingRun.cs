using System;
using System.Collections.Generic;
using AutoGrad.Health;

namespace AutoGrad.Samples.Training;

/// <summary>What one training run did and what the health monitor made of it.</summary>
public sealed class TrainingRun
{
    internal TrainingRun(string name, HealthReport report, HealthReport? firstAlarm, int alarmSteps, double[] losses, int skippedUpdates,
        bool stoppedEarly, double testAccuracy, double firstLayerGradientNorm, double maxGlobalNorm, TimeSpan elapsed,
        int classifiedSteps = 0, int fadingSteps = 0)
    {
        ClassifiedSteps = classifiedSteps;
        FadingSteps = fadingSteps;
        Name = name;
        Report = report;
        FirstAlarm = firstAlarm;
        AlarmSteps = alarmSteps;
        Losses = losses;
        SkippedUpdates = skippedUpdates;
        StoppedEarly = stoppedEarly;
        TestAccuracy = testAccuracy;
        FirstLayerGradientNorm = firstLayerGradientNorm;
        MaxGlobalNorm = maxGlobalNorm;
        Elapsed = elapsed;
    }

    /// <summary>The run's name.</summary>
    public string Name { get; }

    /// <summary>The monitor's report after the last step.</summary>
    public HealthReport Report { get; }

    /// <summary>The report at the first step the monitor called EXPLODING or NON-FINITE (null if it never did):
    /// where and why things first went wrong, even when training carried on.</summary>
    public HealthReport? FirstAlarm { get; }

    /// <summary>Classified steps the monitor called EXPLODING or NON-FINITE.</summary>
    public int AlarmSteps { get; }

    /// <summary>Steps the monitor classified (every step at the default probe interval).</summary>
    public int ClassifiedSteps { get; }

    /// <summary>Classified steps at which a layer's gradient faded across a recurrence's time steps (VANISHING by
    /// <see cref="HealthRule.ThroughTimeBelowLimit"/>).</summary>
    public int FadingSteps { get; }

    /// <summary>The loss of every step run (NaN where it was not finite).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Steps run (fewer than asked when the monitor asked to stop).</summary>
    public int Steps => Losses.Count;

    /// <summary>Updates the monitor vetoed because the step was non-finite.</summary>
    public int SkippedUpdates { get; }

    /// <summary>True when training ended early because the monitor asked to stop.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Accuracy on the held-out images after training.</summary>
    public double TestAccuracy { get; }

    /// <summary>Wall-clock time of the training loop.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The final step's status.</summary>
    public HealthStatus Status => Report.Status;

    /// <summary>‖∂L/∂W‖ of the first parameter (the layer nearest the input) at the last classified step (the one
    /// <see cref="Report"/> describes), before clipping,
    /// summed in double from the gradient tensor itself.</summary>
    public double FirstLayerGradientNorm { get; }

    /// <summary>The largest finite global gradient norm the probes measured (before clipping) over the run.</summary>
    public double MaxGlobalNorm { get; }

    /// <summary>The depth profile's factor per layer toward the input at the last classified step.</summary>
    public double DepthFactor => Report.DepthProfile.FactorPerLayer;

    /// <summary>The mean loss of the first <paramref name="count"/> steps (finite losses only).</summary>
    public double MeanLossOfFirst(int count) => MeanFinite(0, Window(count));

    /// <summary>The mean loss of the last <paramref name="count"/> steps (finite losses only).</summary>
    public double MeanLossOfLast(int count) => MeanFinite(Losses.Count - Window(count), Losses.Count);

    /// <summary>
    /// <paramref name="count"/> steps, or half the run when it is shorter than two windows: the first and last windows
    /// must not overlap (a 10-step run that stopped on NaN showed the same mean twice).
    /// </summary>
    private int Window(int count) => Math.Max(Math.Min(1, Losses.Count), Math.Min(count, Losses.Count / 2));

    /// <summary>Steps whose loss was NaN or infinite.</summary>
    public int NonFiniteLosses
    {
        get
        {
            int n = 0;
            foreach (double loss in Losses) n += double.IsFinite(loss) ? 0 : 1;
            return n;
        }
    }

    /// <summary>The largest finite loss.</summary>
    public double MaxLoss
    {
        get
        {
            double max = double.NaN;
            foreach (double loss in Losses)
            {
                if (double.IsFinite(loss) && !(loss <= max)) max = loss;
            }
            return max;
        }
    }

    private double MeanFinite(int from, int to)
    {
        double sum = 0;
        int n = 0;
        for (int i = from; i < to; i++)
        {
            if (!double.IsFinite(Losses[i])) continue;
            sum += Losses[i];
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }
}
