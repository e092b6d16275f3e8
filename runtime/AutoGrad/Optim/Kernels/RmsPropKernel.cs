using System;
using System.Runtime.InteropServices;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One fused pass of RMSProp (Hinton, Coursera lecture 6e): g' = g + λw; s = αs + (1-α)g'²; u = g'/(√s + ε);
/// with momentum b = μb + u and w -= lr·b, else w -= lr·u. Matches <c>torch.optim.RMSprop</c> (centered=False).
/// </summary>
internal ref struct RmsPropKernel : ISimdKernel
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
        where TVec : struct
        where TOps : struct, ISimdOps<TVec>
    {
        ref float w = ref MemoryMarshal.GetReference(Weights);
        ref float g = ref MemoryMarshal.GetReference(Gradients);
        ref float s = ref MemoryMarshal.GetReference(SquareAverage);
        ref float b = ref MemoryMarshal.GetReference(MomentumBuffer);
        bool hasMomentum = !MomentumBuffer.IsEmpty;
        TVec alpha = TOps.Broadcast(Alpha), oneMinusAlpha = TOps.Broadcast(1f - Alpha);
        TVec eps = TOps.Broadcast(Epsilon), wd = TOps.Broadcast(WeightDecay), mu = TOps.Broadcast(Momentum);
        bool decays = WeightDecay != 0f;
        TVec lr = TOps.Broadcast(-LearningRate);
        TVec deltaSq = TOps.Zero, weightSq = TOps.Zero;
        for (; index + TOps.Count <= length; index += TOps.Count)
        {
            TVec wi = TOps.Load(ref w, index);
            TVec gi = TOps.Load(ref g, index);
            if (decays) gi = TOps.MultiplyAdd(wd, wi, gi); // left out without decay: 0·∞ is NaN
            TVec si = TOps.MultiplyAdd(alpha, TOps.Load(ref s, index), TOps.Multiply(oneMinusAlpha, TOps.Multiply(gi, gi)));
            TOps.Store(si, ref s, index);
            TVec direction = TOps.Divide(gi, TOps.Add(TOps.Sqrt(si), eps));
            if (hasMomentum)
            {
                direction = TOps.MultiplyAdd(mu, TOps.Load(ref b, index), direction);
                TOps.Store(direction, ref b, index);
            }
            TVec delta = TOps.Multiply(lr, direction);
            UpdateNorms.Apply<TVec, TOps>(ref w, index, wi, delta, ref deltaSq, ref weightSq);
        }
        Norms.Fold<TVec, TOps>(deltaSq, weightSq);
    }
}
