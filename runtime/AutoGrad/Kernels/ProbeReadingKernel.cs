using System;
using System.Numerics;

namespace AutoGrad.Kernels;

/// <summary>
/// One pass over a gradient for a probe reading: Σg², max|g| and the number of exact zeros (for the dead-gradient
/// fraction). Non-finite values poison the sum, which the caller checks before paying for a second, exact pass.
/// </summary>
/// <remarks>
/// Four independent sums of squares (with one, every vector waits 4 cycles for the previous fused multiply-add) and
/// the hardware max: a 100,000-float weight gradient took about 20 µs before, several percent of the training step it
/// watches. The max folds four vectors per loop into one accumulator, so it adds one dependent operation per loop.
/// Zeros are counted from the comparison's lane bits with one <c>popcnt</c> per four vectors: summing 0/1 floats
/// instead cost two more vector operations per vector. (The GEMM epilogue's reading tracks min|g| instead and counts
/// zeros only when there are some; here the count stays in the pass, because this kernel also reads the gradients of
/// ReLU layers at batch 1, half of whose rows are zero, where a second pass cost more than counting.)
/// <see cref="ISimd{TVec}.MaxNative"/> is unspecified for NaN, but a NaN or infinity also makes the sum non-finite,
/// and then the caller recomputes max|g| over the finite values.
/// </remarks>
internal unsafe ref struct ProbeReadingKernel : ISimdKernel
{
    /// <summary>The longest span one run may cover; callers split longer ones.</summary>
    public const int MaxLength = 1 << 22;

    public ReadOnlySpan<float> Values;
    public double SumOfSquares;
    public float MaxAbs;
    public long Zeros;

    public void Run<TVec, TOps>(ref int index, int length)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>
    {
        fixed (float* x = Values)
        {
            int count = TOps.Count;
            // A local counter: looping on the ref parameter stored and reloaded it every iteration, a store-to-load
            // chain longer than the loop's arithmetic.
            int i = index;
            TVec s0 = TOps.Zero, s1 = TOps.Zero, s2 = TOps.Zero, s3 = TOps.Zero;
            TVec maxAbs = TOps.Zero;
            long zeros = 0;
            // The scalar instantiation only finishes tails, where unrolling buys nothing.
            if (count > 1)
            {
                for (; i + 4 * count <= length; i += 4 * count)
                {
                    TVec a = TOps.Load(x + i), b = TOps.Load(x + i + count);
                    TVec c = TOps.Load(x + i + 2 * count), d = TOps.Load(x + i + 3 * count);
                    s0 = TOps.MulAdd(a, a, s0);
                    s1 = TOps.MulAdd(b, b, s1);
                    s2 = TOps.MulAdd(c, c, s2);
                    s3 = TOps.MulAdd(d, d, s3);
                    TVec m = TOps.MaxNative(TOps.MaxNative(TOps.Abs(a), TOps.Abs(b)), TOps.MaxNative(TOps.Abs(c), TOps.Abs(d)));
                    maxAbs = TOps.MaxNative(maxAbs, m);
                    // Four vectors' lane bits fit one ulong (at most 4 × 16 lanes).
                    zeros += BitOperations.PopCount(
                        TOps.ZeroBits(a) | TOps.ZeroBits(b) << count | TOps.ZeroBits(c) << (2 * count) | TOps.ZeroBits(d) << (3 * count));
                }
            }
            for (; i + count <= length; i += count)
            {
                TVec a = TOps.Load(x + i);
                s0 = TOps.MulAdd(a, a, s0);
                maxAbs = TOps.MaxNative(maxAbs, TOps.Abs(a));
                zeros += BitOperations.PopCount(TOps.ZeroBits(a));
            }
            index = i;
            SumOfSquares += TOps.Sum(TOps.Add(TOps.Add(s0, s1), TOps.Add(s2, s3)));
            MaxAbs = MathF.Max(MaxAbs, TOps.MaxAcross(maxAbs));
            Zeros += zeros;
        }
    }
}
