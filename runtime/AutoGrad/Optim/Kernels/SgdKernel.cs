using System;
using System.Runtime.InteropServices;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One fused pass of SGD: g' = g + λw; v = μv + g'; d = nesterov ? g' + μv : v (or g' without momentum);
/// w -= lr·d. Same update as PyTorch's <c>torch.optim.SGD</c> with dampening 0.
/// </summary>
internal ref struct SgdKernel : ISimdKernel
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
        where TVec : struct
        where TOps : struct, ISimdOps<TVec>
    {
        ref float w = ref MemoryMarshal.GetReference(Weights);
        ref float g = ref MemoryMarshal.GetReference(Gradients);
        ref float v = ref MemoryMarshal.GetReference(Velocity);
        bool hasMomentum = !Velocity.IsEmpty;
        TVec lr = TOps.Broadcast(-LearningRate), mu = TOps.Broadcast(Momentum), wd = TOps.Broadcast(WeightDecay);
        // Without decay the term is left out, not multiplied by 0: 0·∞ would turn an infinite weight's state into NaN.
        bool decays = WeightDecay != 0f;
        TVec deltaSq = TOps.Zero, weightSq = TOps.Zero;
        for (; index + TOps.Count <= length; index += TOps.Count)
        {
            TVec wi = TOps.Load(ref w, index);
            TVec gi = TOps.Load(ref g, index);
            if (decays) gi = TOps.MultiplyAdd(wd, wi, gi);
            TVec direction = gi;
            if (hasMomentum)
            {
                TVec vi = TOps.MultiplyAdd(mu, TOps.Load(ref v, index), gi);
                TOps.Store(vi, ref v, index);
                direction = Nesterov ? TOps.MultiplyAdd(mu, vi, gi) : vi;
            }
            TVec delta = TOps.Multiply(lr, direction);
            UpdateNorms.Apply<TVec, TOps>(ref w, index, wi, delta, ref deltaSq, ref weightSq);
        }
        Norms.Fold<TVec, TOps>(deltaSq, weightSq);
    }
}
