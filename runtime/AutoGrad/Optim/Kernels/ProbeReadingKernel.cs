using System;
using System.Runtime.InteropServices;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// One pass over a gradient for a probe reading: Σg², max|g| and the number of exact zeros (for the dead-gradient
/// fraction). Non-finite values poison the sum, which the caller checks before paying for a second, exact pass.
/// </summary>
/// <remarks>
/// Four independent sums of squares (with one, every vector waits 4 cycles for the previous fused multiply-add) and
/// the hardware max: a 100,000-float weight gradient took about 20 µs before, several percent of the training step it
/// watches. The max and zero count fold four vectors per loop into one accumulator each, so they add one dependent
/// operation per loop, and everything stays in the 16 AVX2 registers. <see cref="ISimdOps{TVec}.MaxNative"/> is
/// unspecified for NaN, but a NaN or infinity also makes the sum non-finite, and then the caller recomputes max|g|
/// over the finite values. Each lane counts at most <see cref="MaxLength"/> / lanes zeros, far below 2²⁴, so the
/// float counts stay exact.
/// </remarks>
internal ref struct ProbeReadingKernel : ISimdKernel
{
    /// <summary>The longest span one run may cover; callers split longer ones.</summary>
    public const int MaxLength = 1 << 22;

    public ReadOnlySpan<float> Values;
    public double SumOfSquares;
    public float MaxAbs;
    public long Zeros;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : struct
        where TOps : struct, ISimdOps<TVec>
    {
        ref float x = ref MemoryMarshal.GetReference(Values);
        int count = TOps.Count;
        // A local counter: looping on the ref parameter stored and reloaded it every iteration, a store-to-load
        // chain longer than the loop's arithmetic.
        int i = index;
        TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
        TVec maxAbs = TOps.Zero, zeros = TOps.Zero;
        // The scalar instantiation only finishes tails, where unrolling buys nothing.
        if (count > 1)
        {
            for (; i + 4 * count <= length; i += 4 * count)
            {
                TVec a = TOps.Load(ref x, i), b = TOps.Load(ref x, i + count);
                TVec c = TOps.Load(ref x, i + 2 * count), d = TOps.Load(ref x, i + 3 * count);
                s0 = TOps.MultiplyAdd(a, a, s0);
                s1 = TOps.MultiplyAdd(b, b, s1);
                s2 = TOps.MultiplyAdd(c, c, s2);
                s3 = TOps.MultiplyAdd(d, d, s3);
                TVec m = TOps.MaxNative(TOps.MaxNative(TOps.Abs(a), TOps.Abs(b)), TOps.MaxNative(TOps.Abs(c), TOps.Abs(d)));
                maxAbs = TOps.MaxNative(maxAbs, m);
                TVec z = TOps.Add(TOps.Add(TOps.ZeroMask(a), TOps.ZeroMask(b)), TOps.Add(TOps.ZeroMask(c), TOps.ZeroMask(d)));
                zeros = TOps.Add(zeros, z);
            }
        }
        for (; i + count <= length; i += count)
        {
            TVec a = TOps.Load(ref x, i);
            s0 = TOps.MultiplyAdd(a, a, s0);
            maxAbs = TOps.MaxNative(maxAbs, TOps.Abs(a));
            zeros = TOps.Add(zeros, TOps.ZeroMask(a));
        }
        index = i;
        SumOfSquares += TOps.Sum(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)));
        MaxAbs = MathF.Max(MaxAbs, TOps.MaxAcross(maxAbs));
        Zeros += (long)TOps.Sum(zeros);
    }
}
