using System;
using AutoGrad.Kernels;

namespace AutoGrad.Optim.Kernels;

/// <summary>What an update kernel measures on its way through a parameter, at no extra pass:
/// Σ(ΔW)² and Σ(W_new)², for the update-to-weight ratio ‖ΔW‖/‖W‖.</summary>
internal unsafe struct UpdateNorms
{
    public double DeltaSquared;
    public double WeightSquared;

    /// <summary>‖ΔW‖/‖W‖, or 0 when the weights are all zero.</summary>
    public readonly double Ratio =>
        double.IsNaN(WeightSquared) || double.IsNaN(DeltaSquared) ? double.NaN // a NaN update is no "no update" (0 read as the smallest)
        : WeightSquared > 0 ? Math.Sqrt(DeltaSquared / WeightSquared) : 0;

    /// <summary>The common end of every update: stores w + Δ and accumulates Σ(Δ)² and Σ(w + Δ)² in the lanes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void Apply<TVec, TOps>(float* weights, int index, TVec weight, TVec delta, ref TVec deltaSquares, ref TVec weightSquares)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        TVec next = TOps.Add(weight, delta);
        TOps.Store(weights + index, next);
        deltaSquares = TOps.MulAdd(delta, delta, deltaSquares);
        weightSquares = TOps.MulAdd(next, next, weightSquares);
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
