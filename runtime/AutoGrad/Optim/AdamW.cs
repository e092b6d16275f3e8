using System.Collections.Generic;

namespace AutoGrad.Optim;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter, 2019): Adam whose weight decay shrinks the weights directly (w -= lr·λ·w)
/// instead of entering the adaptive gradient, so every weight decays at the same rate.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates AdamW over named parameters; the default λ = 0.01 follows PyTorch.</summary>
    public AdamW(ParameterList parameters, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(parameters, beta1, beta2, epsilon, weightDecay, decoupled: true)
    {
    }

    /// <summary>Creates AdamW over (parameter, gradient) pairs.</summary>
    public AdamW(IEnumerable<(Tensor Parameter, Tensor Gradient)> pairs, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : this(FromPairs(pairs), beta1, beta2, epsilon, weightDecay)
    {
    }
}
