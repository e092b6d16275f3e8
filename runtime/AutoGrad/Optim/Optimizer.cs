using System;
using System.Collections.Generic;
using AutoGrad.Optim.Kernels;

namespace AutoGrad.Optim;

/// <summary>
/// Base of the optimizers: a fixed list of parameters whose state is allocated once in the constructor, and a
/// <see cref="Step"/> that updates every parameter with one fused SIMD pass and records ‖ΔW‖/‖W‖ on the way.
/// </summary>
public abstract class Optimizer
{
    /// <summary>Creates an optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(ParameterList parameters)
    {
        Parameters = parameters ?? throw new ArgumentNullException(nameof(parameters));
        if (parameters.Count == 0)
        {
            throw new ArgumentException("An optimizer needs at least one parameter.", nameof(parameters));
        }
        _version = parameters.Version;
    }

    /// <summary>The list's version when the state was allocated: a parameter added since has none.</summary>
    private readonly int _version;

    /// <summary>The parameters this optimizer updates, in order.</summary>
    public ParameterList Parameters { get; }

    /// <summary>The number of steps taken so far.</summary>
    public long StepCount { get; private set; }

    /// <summary>Applies one update to every parameter using its current gradient.</summary>
    /// <param name="learningRate">The step size for this step (from a schedule, say).</param>
    public void Step(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and non-negative.");
        }
        if (Parameters.Version != _version)
        {
            // Its state was allocated per parameter when the optimizer was made (a bare IndexOutOfRangeException before).
            throw new InvalidOperationException(
                "A parameter was added to the list after this optimizer was created; create the optimizer after the list is complete.");
        }
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++)
        {
            Parameter p = Parameters[i];
            UpdateNorms norms = Update(i, p.Value.Span, p.Gradient.Span, learningRate);
            p.UpdateRatio = norms.Ratio;
            p.SteppedAdaptively = ScalesEachElement;
        }
    }

    /// <summary>‖ΔW‖/‖W‖ of parameter <paramref name="index"/> in the last step (NaN before the first).</summary>
    public double UpdateRatio(int index) => Parameters[index].UpdateRatio;

    /// <summary>Whether each element's step is divided by a running scale of its own gradient (Adam, RMSProp).</summary>
    private protected virtual bool ScalesEachElement => false;

    /// <summary>Updates one parameter in place; <see cref="StepCount"/> already counts this step.</summary>
    private protected abstract UpdateNorms Update(int index, Span<float> weights, ReadOnlySpan<float> gradients, float learningRate);

    /// <summary>One zeroed state buffer per parameter, allocated once.</summary>
    private protected float[][] AllocateState()
    {
        var state = new float[Parameters.Count][];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = new float[Parameters[i].Value.Length];
        }
        return state;
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and at least zero.</summary>
    private protected static float NonNegative(float value, string name) =>
        float.IsFinite(value) && value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");

    /// <summary>Throws unless <paramref name="value"/> is finite and above zero.</summary>
    private protected static float Positive(float value, string name) =>
        float.IsFinite(value) && value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");

    /// <summary>Throws unless <paramref name="value"/> is in [0, 1).</summary>
    private protected static float Fraction(float value, string name) =>
        value is >= 0 and < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    /// <summary>Wraps (parameter, gradient) pairs in a <see cref="ParameterList"/>.</summary>
    private protected static ParameterList FromPairs(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs) => new(pairs);
}
