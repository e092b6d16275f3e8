using System;
using AutoGrad.Optim;
using AutoGrad.Probes;

namespace AutoGrad.Samples.Training;

/// <summary>One probed training step: runs the generated <c>{Method}Gradient</c> on a batch, writes the gradients
/// into the parameters' gradient tensors and the readings into <paramref name="probes"/>; returns the loss.</summary>
public delegate float GradientFunction(Tensor x, int[] labels, GradientProbes? probes);

/// <summary>The network's forward pass without the loss: logits <c>[batch, classes]</c> for predictions.</summary>
public delegate Tensor LogitsFunction(Tensor x);

/// <summary>
/// A network as the trainer sees it: a name for reports, its generated probe table, its parameters (with their
/// gradient tensors, which the gradient function overwrites) and two functions over a batch of digits.
/// </summary>
public sealed class Classifier
{
    /// <summary>Creates the description.</summary>
    public Classifier(string name, ProbeLayout layout, ParameterList parameters, GradientFunction gradient, LogitsFunction logits)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Layout = layout ?? throw new ArgumentNullException(nameof(layout));
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        Gradient = gradient ?? throw new ArgumentNullException(nameof(gradient));
        Logits = logits ?? throw new ArgumentNullException(nameof(logits));
    }

    /// <summary>The run's name in tables and report folders.</summary>
    public string Name { get; }

    /// <summary>The generated <c>{Method}ProbeLayout</c>.</summary>
    public ProbeLayout Layout { get; }

    /// <summary>The trainable parameters, named as in the probe layout (<c>w[3]</c>) so the monitor can match them.</summary>
    public ParameterList Parameters { get; }

    /// <summary>The probed gradient of the loss.</summary>
    public GradientFunction Gradient { get; }

    /// <summary>The forward pass for predictions.</summary>
    public LogitsFunction Logits { get; }
}
