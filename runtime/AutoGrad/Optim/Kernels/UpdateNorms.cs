using System;
using AutoGrad.Kernels;

namespace AutoGrad.Optim.Kernels;

/// <summary>What an update kernel measures on its way through a parameter, at no extra pass:
/// Σ(ΔW)² and Σ(W)² of the weights before the step, for the update-to-weight ratio ‖ΔW‖/‖W‖ (CS231n's
/// <c>param_scale</c> is taken before <c>W += update</c>; after it, a ratio near 1 read as about 0.5).</summary>
internal unsafe struct UpdateNorms
{
    public double DeltaSquared;
    public double WeightSquared;

    /// <summary>
    /// ‖ΔW‖/‖W‖; 0 for weights that stay all zero; NaN, no reading, where there is no ratio: a NaN or infinite weight
    /// or step, or a step from weights all zero (0 would read as "no update", the smallest ratio of all).
    /// </summary>
    public readonly double Ratio =>
        !double.IsFinite(WeightSquared) || !double.IsFinite(DeltaSquared) ? double.NaN
        : WeightSquared > 0 ? Math.Sqrt(DeltaSquared / WeightSquared)
        : DeltaSquared > 0 ? double.NaN : 0;

    /// <summary>The common end of every update: stores w + Δ and accumulates Σ(Δ)² and Σw² in the lanes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Apply<TVec, TOps>(float* weights, int index, TVec weight, TVec delta, ref TVec deltaSquares, ref TVec weightSquares)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        TVec next = TOps.Add(weight, delta);
        TOps.Store(weights + index, next);
        deltaSquares = TOps.MulAdd(delta, delta, deltaSquares);
        weightSquares = TOps.MulAdd(weight, weight, weightSquares);
    }

    /// <summary>Folds one loop's lane accumulators in.</summary>
    public void Fold<TVec, TOps>(TVec deltaSquares, TVec weightSquares)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        DeltaSquared += TOps.Sum(deltaSquares);
        WeightSquared += TOps.Sum(weightSquares);
    }
}
