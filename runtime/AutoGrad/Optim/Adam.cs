using System;
using System.Collections.Generic;
using AutoGrad.Kernels;
using AutoGrad.Optim.Kernels;

namespace AutoGrad.Optim;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015) with bias correction. <see cref="WeightDecay"/> here is the classic L2 penalty
/// added to the gradient, which Adam's per-coordinate scaling weakens; prefer <see cref="AdamW"/> for decay.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;
    private readonly float _l2;
    private readonly float _decoupled;

    /// <summary>Creates Adam over named parameters.</summary>
    /// <param name="parameters">The parameters.</param>
    /// <param name="beta1">Decay of the first-moment average.</param>
    /// <param name="beta2">Decay of the second-moment average.</param>
    /// <param name="epsilon">Added to √v̂ so the step stays bounded.</param>
    /// <param name="weightDecay">L2 penalty λ added to the gradient.</param>
    public Adam(ParameterList parameters, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : this(parameters, beta1, beta2, epsilon, weightDecay, decoupled: false)
    {
    }

    /// <summary>Creates Adam over (parameter, gradient) pairs.</summary>
    public Adam(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : this(FromPairs(pairs), beta1, beta2, epsilon, weightDecay)
    {
    }

    /// <summary>For <see cref="AdamW"/>: the same moments with the decay applied to the weights directly.</summary>
    private protected Adam(ParameterList parameters, float beta1, float beta2, float epsilon, float weightDecay, bool decoupled)
        : base(parameters)
    {
        Beta1 = Fraction(beta1, nameof(beta1));
        Beta2 = Fraction(beta2, nameof(beta2));
        Epsilon = Positive(epsilon, nameof(epsilon));
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        _l2 = decoupled ? 0f : weightDecay;
        _decoupled = decoupled ? weightDecay : 0f;
        _m = AllocateState();
        _v = AllocateState();
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }

    /// <summary>β₂.</summary>
    public float Beta2 { get; }

    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <summary>λ: an L2 penalty for <see cref="Adam"/>, decoupled decay for <see cref="AdamW"/>.</summary>
    public float WeightDecay { get; }

    private protected override bool ScalesEachElement => true;

    private protected override UpdateNorms Update(int index, Span<float> weights, ReadOnlySpan<float> gradients, float learningRate)
    {
        var kernel = new AdamKernel
        {
            Weights = weights,
            Gradients = gradients,
            FirstMoment = _m[index],
            SecondMoment = _v[index],
            LearningRate = learningRate,
            Beta1 = Beta1,
            Beta2 = Beta2,
            Epsilon = Epsilon,
            L2 = _l2,
            DecoupledDecay = _decoupled,
            BiasCorrection1 = 1f - MathF.Pow(Beta1, StepCount),
            BiasCorrection2 = 1f - MathF.Pow(Beta2, StepCount),
        };
        SimdDispatch.Run(ref kernel, weights.Length);
        return kernel.Norms;
    }
}
