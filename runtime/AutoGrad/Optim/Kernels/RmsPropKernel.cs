using System;
using AutoGrad.Kernels;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One fused pass of RMSProp (Hinton, Coursera lecture 6e): g' = g + λw; s = αs + (1-α)g'²; u = g'/(√s + ε);
/// with momentum b = μb + u and w -= lr·b, else w -= lr·u. Matches <c>torch.optim.RMSprop</c> (centered=False).
/// </summary>
internal unsafe ref struct RmsPropKernel : ISimdKernel
{
    public Span<float> Weights;
    public ReadOnlySpan<float> Gradients;
    public Span<float> SquareAverage;
    /// <summary>Momentum buffer; empty when momentum is 0.</summary>
    public Span<float> MomentumBuffer;
    public float LearningRate;
    public float Alpha;
    public float Epsilon;
    public float WeightDecay;
    public float Momentum;
    public UpdateNorms Norms;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        fixed (float* w = Weights, g = Gradients, s = SquareAverage, b = MomentumBuffer)
        {
            bool hasMomentum = !MomentumBuffer.IsEmpty;
            TVec alpha = TOps.Splat(Alpha), oneMinusAlpha = TOps.Splat(1f - Alpha);
            TVec eps = TOps.Splat(Epsilon), wd = TOps.Splat(WeightDecay), mu = TOps.Splat(Momentum);
            bool decays = WeightDecay != 0f;
            TVec lr = TOps.Splat(-LearningRate);
            TVec deltaSq = TOps.Zero, weightSq = TOps.Zero;
            for (; index + TOps.Count <= length; index += TOps.Count)
            {
                TVec wi = TOps.Load(w + index);
                TVec gi = TOps.Load(g + index);
                if (decays) gi = TOps.MulAdd(wd, wi, gi); // left out without decay: 0·∞ is NaN
                TVec si = TOps.MulAdd(alpha, TOps.Load(s + index), TOps.Multiply(oneMinusAlpha, TOps.Multiply(gi, gi)));
                TOps.Store(s + index, si);
                TVec direction = TOps.Divide(gi, TOps.Add(TOps.Sqrt(si), eps));
                if (hasMomentum)
                {
                    direction = TOps.MulAdd(mu, TOps.Load(b + index), direction);
                    TOps.Store(b + index, direction);
                }
                TVec delta = TOps.Multiply(lr, direction);
                UpdateNorms.Apply<TVec, TOps>(w, index, wi, delta, ref deltaSq, ref weightSq);
            }
            Norms.Fold<TVec, TOps>(deltaSq, weightSq);
        }
    }
}
