using System;
using AutoGrad.Kernels;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One fused pass of Adam/AdamW (Kingma &amp; Ba 2015; Loshchilov &amp; Hutter 2019):
/// g' = g + λ₂w; m = β₁m + (1-β₁)g'; v = β₂v + (1-β₂)g'²;
/// w -= lr·(m/bc₁)/(√(v/bc₂) + ε) + lr·λ_decoupled·w, with bc = 1 - βᵗ. Matches <c>torch.optim.Adam(W)</c>.
/// </summary>
internal unsafe ref struct AdamKernel : ISimdKernel
{
    public Span<float> Weights;
    public ReadOnlySpan<float> Gradients;
    public Span<float> FirstMoment;
    public Span<float> SecondMoment;
    public float LearningRate;
    public float Beta1;
    public float Beta2;
    public float Epsilon;
    /// <summary>L2 penalty folded into the gradient (Adam's <c>weight_decay</c>).</summary>
    public float L2;
    /// <summary>Decoupled weight decay applied to the weights directly (AdamW).</summary>
    public float DecoupledDecay;
    /// <summary>1 - β₁ᵗ.</summary>
    public float BiasCorrection1;
    /// <summary>1 - β₂ᵗ.</summary>
    public float BiasCorrection2;
    public UpdateNorms Norms;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        fixed (float* w = Weights, g = Gradients, m = FirstMoment, v = SecondMoment)
        {
            TVec b1 = TOps.Splat(Beta1), c1 = TOps.Splat(1f - Beta1);
            TVec b2 = TOps.Splat(Beta2), c2 = TOps.Splat(1f - Beta2);
            TVec l2 = TOps.Splat(L2);
            TVec stepSize = TOps.Splat(-LearningRate / BiasCorrection1);
            TVec invSqrtBc2 = TOps.Splat(1f / MathF.Sqrt(BiasCorrection2));
            TVec eps = TOps.Splat(Epsilon);
            TVec decay = TOps.Splat(-LearningRate * DecoupledDecay);
            // A decay of 0 is left out, not multiplied by 0: 0·∞ would turn an infinite weight's moments into NaN.
            bool penalizes = L2 != 0f, decays = DecoupledDecay != 0f;
            TVec deltaSq = TOps.Zero, weightSq = TOps.Zero;
            for (; index + TOps.Count <= length; index += TOps.Count)
            {
                TVec wi = TOps.Load(w + index);
                TVec gi = TOps.Load(g + index);
                if (penalizes) gi = TOps.MulAdd(l2, wi, gi);
                TVec mi = TOps.MulAdd(b1, TOps.Load(m + index), TOps.Multiply(c1, gi));
                TVec vi = TOps.MulAdd(b2, TOps.Load(v + index), TOps.Multiply(c2, TOps.Multiply(gi, gi)));
                TOps.Store(m + index, mi);
                TOps.Store(v + index, vi);
                TVec denom = TOps.MulAdd(TOps.Sqrt(vi), invSqrtBc2, eps);
                TVec delta = TOps.Multiply(stepSize, TOps.Divide(mi, denom));
                if (decays) delta = TOps.MulAdd(decay, wi, delta);
                UpdateNorms.Apply<TVec, TOps>(w, index, wi, delta, ref deltaSq, ref weightSq);
            }
            Norms.Fold<TVec, TOps>(deltaSq, weightSq);
        }
    }
}
