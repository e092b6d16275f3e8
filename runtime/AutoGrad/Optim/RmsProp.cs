using System;
using System.Collections.Generic;
using AutoGrad.Kernels;
using AutoGrad.Optim.Kernels;

namespace AutoGrad.Optim;

/// <summary>
/// RMSProp: divides each step by a running root-mean-square of the gradient, with optional momentum and L2
/// weight decay; the update of PyTorch's RMSprop (not centered).
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly float[][] _square;
    private readonly float[][]? _momentum;

    /// <summary>Creates RMSProp over named parameters.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="alpha">Decay of the squared-gradient average (PyTorch's default 0.99).</param>
    /// <param name="epsilon">Added to the root mean square.</param>
    /// <param name="weightDecay">L2 penalty λ.</param>
    /// <param name="momentum">μ in [0, 1); 0 keeps no momentum buffer.</param>
    public RmsProp(ParameterList parameters, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f)
        : base(parameters)
    {
        Alpha = Fraction(alpha, nameof(alpha));
        Epsilon = Positive(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        Momentum = Fraction(momentum, nameof(momentum));
        _square = AllocateState();
        _momentum = momentum > 0 ? AllocateState() : null;
    }

    /// <summary>Creates RMSProp over (parameter, gradient) pairs.</summary>
    public RmsProp(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs, float alpha = 0.99f, float epsilon = 1e-8f, float weightDecay = 0f, float momentum = 0f)
        : this(FromPairs(pairs), alpha, epsilon, weightDecay, momentum)
    {
    }

    /// <summary>α.</summary>
    public float Alpha { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ.</summary>
    public float WeightDecay { get; }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    private protected override bool ScalesEachElement => true;

    private protected override UpdateNorms Update(int index, Span<float> weights, ReadOnlySpan<float> gradients, float learningRate)
    {
        var kernel = new RmsPropKernel
        {
            Weights = weights,
            Gradients = gradients,
            SquareAverage = _square[index],
            MomentumBuffer = _momentum is null ? Span<float>.Empty : _momentum[index],
            LearningRate = learningRate,
            Alpha = Alpha,
            Epsilon = Epsilon,
            WeightDecay = WeightDecay,
            Momentum = Momentum,
        };
        SimdDispatch.Run(ref kernel, weights.Length);
        return kernel.Norms;
    }
}
