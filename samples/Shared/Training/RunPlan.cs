using System;
using AutoGrad.Samples.Data;

namespace AutoGrad.Samples.Training;

/// <summary>One run a sample wants: how to build the network (fresh weights) and how to train it.</summary>
/// <param name="Name">The run's name in progress bars, tables and report folders.</param>
/// <param name="Build">Makes the network with its initial weights.</param>
/// <param name="Settings">Steps, learning rate, optimizer and monitor options.</param>
public sealed record RunPlan(string Name, Func<Classifier> Build, TrainingSettings Settings)
{
    /// <summary>Builds the network and trains it.</summary>
    public TrainingRun Train(DigitsSplit data, Action<int>? progress = null) => Trainer.Train(Build(), data, Settings, progress);
}
