using System;
using System.Diagnostics;
using AutoGrad.Health;
using AutoGrad.Optim;
using AutoGrad.Probes;
using AutoGrad.Samples.Data;

namespace AutoGrad.Samples.Training;

/// <summary>
/// The training loop every sample uses, written the way docs/probes.md tells users to: a probed gradient call, the
/// monitor's <see cref="HealthMonitor.Record"/> (which classifies, clips and may veto the update), the optimizer step,
/// and a stop when the monitor asks for one.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="classifier"/> on <paramref name="data"/>'s training set.</summary>
    /// <param name="classifier">The network.</param>
    /// <param name="data">The split; the test set is used only for the final accuracy.</param>
    /// <param name="settings">Steps, batch size, learning rate, optimizer and monitor options.</param>
    /// <param name="progress">Called after every step with the number of steps done.</param>
    public static TrainingRun Train(Classifier classifier, DigitsSplit data, TrainingSettings settings, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var batches = new BatchSampler(data.Train, settings.BatchSize, settings.Seed);
        var probes = new GradientProbes(classifier.Layout);
        var monitor = new HealthMonitor(classifier.Layout, settings.Health);
        Optimizer optimizer = settings.Optimizer(classifier.Parameters);
        var losses = new double[settings.Steps];
        HealthReport? firstAlarm = null;
        int skipped = 0, steps = 0, alarms = 0, fading = 0;
        bool stopped = false;
        double firstLayerNorm = double.NaN, maxGlobalNorm = 0;

        var clock = Stopwatch.StartNew();
        for (int step = 0; step < settings.Steps; step++)
        {
            batches.Next();
            float loss = classifier.Gradient(batches.X, batches.Labels, probes);
            losses[step] = loss;
            steps = step + 1;
            double norm = L2(classifier.Parameters[0].Gradient.Span); // before the monitor clips anything
            long classified = monitor.ClassifiedSteps;
            HealthStatus status = monitor.Record(step, loss, probes, settings.LearningRate, classifier.Parameters);
            // The summary's first-layer norm is of the step the final report describes: the last classified one.
            if (monitor.ClassifiedSteps > classified) firstLayerNorm = norm;
            if (double.IsFinite(monitor.GlobalNorm)) maxGlobalNorm = Math.Max(maxGlobalNorm, monitor.GlobalNorm);
            if (monitor.IsDue(step) && FadesThroughTime(monitor)) fading++;
            if (monitor.IsDue(step) && status >= HealthStatus.Exploding)
            {
                alarms++;
                firstAlarm ??= monitor.Report(); // allocates, but only once per run
            }
            if (monitor.ShouldSkipUpdate)
            {
                skipped++;
            }
            else
            {
                optimizer.Step(settings.LearningRate);
            }
            progress?.Invoke(steps);
            if (monitor.ShouldStop)
            {
                stopped = true;
                break;
            }
        }
        clock.Stop();

        double accuracy = Accuracy.Of(classifier.Logits, data.Test);
        return new TrainingRun(classifier.Name, monitor.Report(), firstAlarm, alarms, losses.AsSpan(0, steps).ToArray(), skipped, stopped,
            accuracy, firstLayerNorm, maxGlobalNorm, clock.Elapsed, (int)monitor.ClassifiedSteps, fading);
    }

    /// <summary>True when a layer's gradient fades across the time steps of a recurrence at this step.</summary>
    private static bool FadesThroughTime(HealthMonitor monitor)
    {
        for (int l = 0; l < monitor.LayerCount; l++)
        {
            if (monitor.LayerRule(l) == HealthRule.ThroughTimeBelowLimit) return true;
        }
        return false;
    }

    /// <summary>The L2 norm summed in double: the squares of gradients around 1e-20 are below float's smallest
    /// normal number, and this is the reading that must stay true when the gradient has all but vanished.</summary>
    private static double L2(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }
}
