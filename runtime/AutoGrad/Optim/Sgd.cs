using System;
using System.Collections.Generic;
using AutoGrad.Kernels;
using AutoGrad.Optim.Kernels;

namespace AutoGrad.Optim;

/// <summary>
/// Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay, as in PyTorch's SGD with
/// dampening 0: g' = g + λw; v = μv + g'; w -= lr·(nesterov ? g' + μv : v).
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? _velocity;

    /// <summary>Creates SGD over named parameters.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="momentum">μ in [0, 1); 0 keeps no state.</param>
    /// <param name="nesterov">Use Nesterov momentum (needs μ &gt; 0).</param>
    /// <param name="weightDecay">λ, the L2 penalty added to the gradient.</param>
    public Sgd(ParameterList parameters, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters)
    {
        Momentum = Fraction(momentum, nameof(momentum));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && momentum == 0)
        {
            throw new ArgumentException("Nesterov momentum needs a momentum above 0.", nameof(nesterov));
        }
        Nesterov = nesterov;
        _velocity = momentum > 0 ? AllocateState() : null;
    }

    /// <summary>Creates SGD over (parameter, gradient) pairs.</summary>
    public Sgd(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs, float momentum = 0f, bool nesterov = false, float weightDecay = 0f)
        : this(FromPairs(pairs), momentum, nesterov, weightDecay)
    {
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether the momentum is Nesterov's.</summary>
    public bool Nesterov { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    private protected override UpdateNorms Update(int index, Span<float> weights, ReadOnlySpan<float> gradients, float learningRate)
    {
        var kernel = new SgdKernel
        {
            Weights = weights,
            Gradients = gradients,
            Velocity = _velocity is null ? Span<float>.Empty : _velocity[index],
            LearningRate = learningRate,
            Momentum = Momentum,
            WeightDecay = WeightDecay,
            Nesterov = Nesterov,
        };
        SimdDispatch.Run(ref kernel, weights.Length);
        return kernel.Norms;
    }
}
