using System;
using AutoGrad.Kernels;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One fused pass of SGD: g' = g + λw; v = μv + g'; d = nesterov ? g' + μv : v (or g' without momentum);
/// w -= lr·d. Same update as PyTorch's <c>torch.optim.SGD</c> with dampening 0.
/// </summary>
internal unsafe ref struct SgdKernel : ISimdKernel
{
    public Span<float> Weights;
    public ReadOnlySpan<float> Gradients;
    /// <summary>Momentum buffer; empty when momentum is 0.</summary>
    public Span<float> Velocity;
    public float LearningRate;
    public float Momentum;
    public float WeightDecay;
    public bool Nesterov;
    public UpdateNorms Norms;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        fixed (float* w = Weights, g = Gradients, v = Velocity)
        {
            bool hasMomentum = !Velocity.IsEmpty;
            TVec lr = TOps.Splat(-LearningRate), mu = TOps.Splat(Momentum), wd = TOps.Splat(WeightDecay);
            // Without decay the term is left out, not multiplied by 0: 0·∞ would turn an infinite weight's state into NaN.
            bool decays = WeightDecay != 0f;
            TVec deltaSq = TOps.Zero, weightSq = TOps.Zero;
            for (; index + TOps.Count <= length; index += TOps.Count)
            {
                TVec wi = TOps.Load(w + index);
                TVec gi = TOps.Load(g + index);
                if (decays) gi = TOps.MulAdd(wd, wi, gi);
                TVec direction = gi;
                if (hasMomentum)
                {
                    TVec vi = TOps.MulAdd(mu, TOps.Load(v + index), gi);
                    TOps.Store(v + index, vi);
                    direction = Nesterov ? TOps.MulAdd(mu, vi, gi) : vi;
                }
                TVec delta = TOps.Multiply(lr, direction);
                UpdateNorms.Apply<TVec, TOps>(w, index, wi, delta, ref deltaSq, ref weightSq);
            }
            Norms.Fold<TVec, TOps>(deltaSq, weightSq);
        }
    }
}
