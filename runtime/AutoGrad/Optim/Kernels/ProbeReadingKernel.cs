using System;
using System.Runtime.InteropServices;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One pass over a gradient for a probe reading: Σg², max|g| and the number of exact zeros (for the dead-gradient
/// fraction). Non-finite values poison the sum, which the caller checks before paying for a second, exact pass.
/// </summary>
internal ref struct ProbeReadingKernel : ISimdKernel
{
    public ReadOnlySpan<float> Values;
    public double SumOfSquares;
    public float MaxAbs;
    public long Zeros;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : struct
        where TOps : struct, ISimdOps<TVec>
    {
        ref float x = ref MemoryMarshal.GetReference(Values);
        TVec sumSq = TOps.Zero, maxAbs = TOps.Zero, zeros = TOps.Zero;
        for (; index + TOps.Count <= length; index += TOps.Count)
        {
            TVec xi = TOps.Load(ref x, index);
            sumSq = TOps.MultiplyAdd(xi, xi, sumSq);
            maxAbs = TOps.Max(maxAbs, TOps.Abs(xi));
            zeros = TOps.Add(zeros, TOps.ZeroMask(xi));
        }
        SumOfSquares += TOps.Sum(sumSq);
        MaxAbs = MathF.Max(MaxAbs, TOps.MaxAcross(maxAbs));
        Zeros += (long)TOps.Sum(zeros);
    }
}
