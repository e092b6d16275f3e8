using System;
using AutoGrad.Health;
using AutoGrad.Optim;

namespace AutoGrad.Samples.Training;

/// <summary>How long and how to train one run.</summary>
public sealed record TrainingSettings
{
    /// <summary>Optimizer steps (mini-batches).</summary>
    public required int Steps { get; init; }

    /// <summary>Images per mini-batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The constant learning rate.</summary>
    public required float LearningRate { get; init; }

    /// <summary>Makes the optimizer for the classifier's parameters; SGD with momentum 0.9 by default.</summary>
    public Func<ParameterList, Optimizer> Optimizer { get; init; } = parameters => new Sgd(parameters, momentum: 0.9f);

    /// <summary>The health monitor's options (sampling, clipping, skip and stop rules).</summary>
    public HealthOptions Health { get; init; } = new();

    /// <summary>Seed of the batch order.</summary>
    public ulong Seed { get; init; } = 7;
}
