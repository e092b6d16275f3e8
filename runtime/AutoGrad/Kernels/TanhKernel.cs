using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// tanh over a span, counting saturated outputs in the same pass. Nn.Tanh and the fused Linear+Tanh both run through
/// it, so the fused and unfused forms produce the same bits. (The recurrent cells still call TensorPrimitives.Tanh.)
/// </summary>
/// <remarks>
/// Our own rather than <c>TensorPrimitives.Tanh</c>, which took 0.85 µs for a 32×64 activation on the AVX-512 bench
/// machine (a sixth of a 21-layer tanh network's step) against 0.32 µs here, and which cannot count saturated units
/// while the values are in registers (the activation probe then needed a second pass). The approximation is
/// <c>tanh x ≈ x·P(x²)/Q(x²)</c> with P of degree 6 and Q of degree 3, on |x| clamped to 9; from |x| = 9.011 on, where
/// tanh rounds to 1 in float, the result is exactly ±1. We fitted the coefficients ourselves (iteratively reweighted least squares on the relative error over
/// [10⁻⁴, 9], in double: 6.6·10⁻⁹ relative); evaluated in float the result is within 3 ulp of tanh for |x| &lt; 1 and
/// within 2.7·10⁻⁷ (4.5 ulp of 1) beyond, with FMA (without it, 2.8·10⁻⁷ and 5 ulp; tests/AutoGrad.Runtime.Tests sweep it against Math.Tanh). For tiny x the
/// quotient is x itself or within an ulp of it, so no separate branch is taken there. |y| never exceeds 1; NaN stays
/// NaN, ±∞ gives exactly ±1.
/// </remarks>
internal static unsafe class TanhKernel
{
    private const float Clamp = 9f;

    /// <summary>From here on tanh x rounds to exactly 1 in float (1 − tanh x &lt; 2⁻²⁵); the saturated backward is then
    /// exactly 0, as with a correctly rounded tanh.</summary>
    private const float RoundsToOne = 9.011f;

    /// <summary>The float just below <see cref="RoundsToOne"/>: |x| above it gives exactly ±1.</summary>
    private static readonly float BelowRoundsToOne = MathF.BitDecrement(RoundsToOne);
    private const float P0 = 0.9999999933936008f, P1 = 0.13084011084492395f, P2 = 0.00310395729613175f;
    private const float P3 = 1.1154319100288035e-05f, P4 = -2.022526679592207e-08f, P5 = 5.2779666209109984e-11f;
    private const float P6 = -8.488753419372396e-14f;
    private const float Q1 = 0.46417338187898094f, Q2 = 0.02449518275139116f, Q3 = 0.0002546146767327744f;

    /// <summary>
    /// Writes tanh(<paramref name="x"/>) into <paramref name="y"/> (which may be <paramref name="x"/> itself) and returns
    /// how many outputs have |y| &gt; <paramref name="saturatedAbove"/>, or 0 without counting when
    /// <paramref name="count"/> is false: the count is a probe's reading, and without probes the step does no probe work
    /// (counting was 0.3–0.6% of the 21-layer tanh network's unprobed step).
    /// </summary>
    public static long Apply(ReadOnlySpan<float> x, Span<float> y, float saturatedAbove, SimdWidth? width = null, bool count = true)
    {
        if (y.Length != x.Length)
        {
            throw new ArgumentException($"tanh writes {x.Length} values but the destination has {y.Length}.", nameof(y));
        }
        fixed (float* px = x, py = y)
        {
            return (width ?? SimdWidths.Best, count) switch
            {
                (SimdWidth.V512, true) => Run<Simd512, Vector512<float>, Reading>(px, py, x.Length, saturatedAbove),
                (SimdWidth.V512, false) => Run<Simd512, Vector512<float>, NoReading>(px, py, x.Length, saturatedAbove),
                (SimdWidth.V256, true) => Run<Simd256, Vector256<float>, Reading>(px, py, x.Length, saturatedAbove),
                (SimdWidth.V256, false) => Run<Simd256, Vector256<float>, NoReading>(px, py, x.Length, saturatedAbove),
                (_, true) => Run<Simd128, Vector128<float>, Reading>(px, py, x.Length, saturatedAbove),
                _ => Run<Simd128, Vector128<float>, NoReading>(px, py, x.Length, saturatedAbove),
            };
        }
    }

    /// <summary>One value, with the same operations as a vector lane (the tails of <see cref="Apply"/>).</summary>
    public static float Compute(float x)
    {
        float a = MathF.Abs(x);
        if (float.IsNaN(x))
        {
            return x;
        }
        if (a > BelowRoundsToOne)
        {
            return MathF.CopySign(1f, x);
        }
        float c = MathF.Min(a, Clamp);
        float c2 = c * c;
        float p = float.MultiplyAddEstimate(c2, P6, P5);
        p = float.MultiplyAddEstimate(c2, p, P4);
        p = float.MultiplyAddEstimate(c2, p, P3);
        p = float.MultiplyAddEstimate(c2, p, P2);
        p = float.MultiplyAddEstimate(c2, p, P1);
        p = float.MultiplyAddEstimate(c2, p, P0);
        float q = float.MultiplyAddEstimate(c2, Q3, Q2);
        q = float.MultiplyAddEstimate(c2, q, Q1);
        q = float.MultiplyAddEstimate(c2, q, 1f);
        return MathF.CopySign(MathF.Min(c * p / q, 1f), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static TVec Compute<TSimd, TVec>(TVec x, out TVec magnitude)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        TVec a = TSimd.Abs(x);
        // MinNative returns its second operand when either is NaN (x86 min; other platforms propagate NaN), so a NaN
        // flows through every step below and no separate NaN select is needed.
        TVec c = TSimd.MinNative(TSimd.Splat(Clamp), a);
        TVec c2 = TSimd.Multiply(c, c);
        TVec p = TSimd.MulAdd(c2, TSimd.Splat(P6), TSimd.Splat(P5));
        p = TSimd.MulAdd(c2, p, TSimd.Splat(P4));
        p = TSimd.MulAdd(c2, p, TSimd.Splat(P3));
        p = TSimd.MulAdd(c2, p, TSimd.Splat(P2));
        p = TSimd.MulAdd(c2, p, TSimd.Splat(P1));
        p = TSimd.MulAdd(c2, p, TSimd.Splat(P0));
        TVec q = TSimd.MulAdd(c2, TSimd.Splat(Q3), TSimd.Splat(Q2));
        q = TSimd.MulAdd(c2, q, TSimd.Splat(Q1));
        q = TSimd.MulAdd(c2, q, TSimd.Splat(1f));
        // Rounding can land a hair above 1 near the clamp, where 1 − y² (the backward) must not turn negative.
        TVec t = TSimd.MinNative(TSimd.Splat(1f), TSimd.Divide(TSimd.Multiply(c, p), q));
        // Exactly 1 from 9.011 on (the comparison is false for NaN, which keeps t).
        magnitude = TSimd.SelectLess(TSimd.Splat(BelowRoundsToOne), a, TSimd.Splat(1f), t);
        return TSimd.CopySign(magnitude, x);
    }

    /// <summary>
    /// tanh of four vectors, stored at <paramref name="y0"/> to <paramref name="y3"/> (which may be where they were
    /// loaded from); returns how many results have |y| &gt; <paramref name="limit"/>'s lanes (0, uncounted, unless
    /// <typeparamref name="TMode"/> reads). The same operations as
    /// <see cref="Compute{TSimd, TVec}"/>, so the same bits, but each step runs on all four vectors before the next:
    /// written one vector after another, each vector's chain of dependent steps (a degree-6 Horner polynomial, then a
    /// division) filled the scheduler before the next vector's independent work came into view, and a 32 × 64 batch
    /// took about 14 cycles a vector against 10 interleaved (alternating in one process).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Compute4<TSimd, TVec, TMode>(
        TVec x0, TVec x1, TVec x2, TVec x3, float* y0, float* y1, float* y2, float* y3, TVec limit)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        // See Compute for why each step is what it is.
        TVec clamp = TSimd.Splat(Clamp);
        TVec c0 = TSimd.MinNative(clamp, TSimd.Abs(x0)), c1 = TSimd.MinNative(clamp, TSimd.Abs(x1));
        TVec c2 = TSimd.MinNative(clamp, TSimd.Abs(x2)), c3 = TSimd.MinNative(clamp, TSimd.Abs(x3));
        TVec sq0 = TSimd.Multiply(c0, c0), sq1 = TSimd.Multiply(c1, c1), sq2 = TSimd.Multiply(c2, c2), sq3 = TSimd.Multiply(c3, c3);
        TVec p0 = TSimd.MulAdd(sq0, TSimd.Splat(P6), TSimd.Splat(P5)), p1 = TSimd.MulAdd(sq1, TSimd.Splat(P6), TSimd.Splat(P5));
        TVec p2 = TSimd.MulAdd(sq2, TSimd.Splat(P6), TSimd.Splat(P5)), p3 = TSimd.MulAdd(sq3, TSimd.Splat(P6), TSimd.Splat(P5));
        TVec q0 = TSimd.MulAdd(sq0, TSimd.Splat(Q3), TSimd.Splat(Q2)), q1 = TSimd.MulAdd(sq1, TSimd.Splat(Q3), TSimd.Splat(Q2));
        TVec q2 = TSimd.MulAdd(sq2, TSimd.Splat(Q3), TSimd.Splat(Q2)), q3 = TSimd.MulAdd(sq3, TSimd.Splat(Q3), TSimd.Splat(Q2));
        p0 = TSimd.MulAdd(sq0, p0, TSimd.Splat(P4));
        p1 = TSimd.MulAdd(sq1, p1, TSimd.Splat(P4));
        p2 = TSimd.MulAdd(sq2, p2, TSimd.Splat(P4));
        p3 = TSimd.MulAdd(sq3, p3, TSimd.Splat(P4));
        q0 = TSimd.MulAdd(sq0, q0, TSimd.Splat(Q1));
        q1 = TSimd.MulAdd(sq1, q1, TSimd.Splat(Q1));
        q2 = TSimd.MulAdd(sq2, q2, TSimd.Splat(Q1));
        q3 = TSimd.MulAdd(sq3, q3, TSimd.Splat(Q1));
        p0 = TSimd.MulAdd(sq0, p0, TSimd.Splat(P3));
        p1 = TSimd.MulAdd(sq1, p1, TSimd.Splat(P3));
        p2 = TSimd.MulAdd(sq2, p2, TSimd.Splat(P3));
        p3 = TSimd.MulAdd(sq3, p3, TSimd.Splat(P3));
        q0 = TSimd.MulAdd(sq0, q0, TSimd.Splat(1f));
        q1 = TSimd.MulAdd(sq1, q1, TSimd.Splat(1f));
        q2 = TSimd.MulAdd(sq2, q2, TSimd.Splat(1f));
        q3 = TSimd.MulAdd(sq3, q3, TSimd.Splat(1f));
        p0 = TSimd.MulAdd(sq0, p0, TSimd.Splat(P2));
        p1 = TSimd.MulAdd(sq1, p1, TSimd.Splat(P2));
        p2 = TSimd.MulAdd(sq2, p2, TSimd.Splat(P2));
        p3 = TSimd.MulAdd(sq3, p3, TSimd.Splat(P2));
        p0 = TSimd.MulAdd(sq0, p0, TSimd.Splat(P1));
        p1 = TSimd.MulAdd(sq1, p1, TSimd.Splat(P1));
        p2 = TSimd.MulAdd(sq2, p2, TSimd.Splat(P1));
        p3 = TSimd.MulAdd(sq3, p3, TSimd.Splat(P1));
        p0 = TSimd.MulAdd(sq0, p0, TSimd.Splat(P0));
        p1 = TSimd.MulAdd(sq1, p1, TSimd.Splat(P0));
        p2 = TSimd.MulAdd(sq2, p2, TSimd.Splat(P0));
        p3 = TSimd.MulAdd(sq3, p3, TSimd.Splat(P0));
        TVec one = TSimd.Splat(1f);
        TVec t0 = TSimd.MinNative(one, TSimd.Divide(TSimd.Multiply(c0, p0), q0));
        TVec t1 = TSimd.MinNative(one, TSimd.Divide(TSimd.Multiply(c1, p1), q1));
        TVec t2 = TSimd.MinNative(one, TSimd.Divide(TSimd.Multiply(c2, p2), q2));
        TVec t3 = TSimd.MinNative(one, TSimd.Divide(TSimd.Multiply(c3, p3), q3));
        TVec below = TSimd.Splat(BelowRoundsToOne);
        TVec m0 = TSimd.SelectLess(below, TSimd.Abs(x0), one, t0), m1 = TSimd.SelectLess(below, TSimd.Abs(x1), one, t1);
        TVec m2 = TSimd.SelectLess(below, TSimd.Abs(x2), one, t2), m3 = TSimd.SelectLess(below, TSimd.Abs(x3), one, t3);
        TSimd.Store(y0, TSimd.CopySign(m0, x0));
        TSimd.Store(y1, TSimd.CopySign(m1, x1));
        TSimd.Store(y2, TSimd.CopySign(m2, x2));
        TSimd.Store(y3, TSimd.CopySign(m3, x3));
        if (!TMode.Reads)
        {
            return 0;
        }
        // Four vectors' lane bits in one popcnt (at most 4 × 16 lanes), compared before the sign is put back.
        int w = TSimd.Count;
        return BitOperations.PopCount(
            TSimd.GreaterBits(m0, limit) | TSimd.GreaterBits(m1, limit) << w
            | TSimd.GreaterBits(m2, limit) << (2 * w) | TSimd.GreaterBits(m3, limit) << (3 * w));
    }

    private static long Run<TSimd, TVec, TMode>(float* x, float* y, int n, float saturatedAbove)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        int w = TSimd.Count, i = 0;
        long saturated = 0;
        TVec limit = TSimd.Splat(saturatedAbove);
        // Four independent vectors per iteration, computed step by step together (Compute4): each one's chain is long.
        for (; i + 4 * w <= n; i += 4 * w)
        {
            saturated += Compute4<TSimd, TVec, TMode>(
                TSimd.Load(x + i), TSimd.Load(x + i + w), TSimd.Load(x + i + 2 * w), TSimd.Load(x + i + 3 * w),
                y + i, y + i + w, y + i + 2 * w, y + i + 3 * w, limit);
        }
        for (; i + w <= n; i += w)
        {
            TVec t = Compute<TSimd, TVec>(TSimd.Load(x + i), out TVec m);
            TSimd.Store(y + i, t);
            if (TMode.Reads)
            {
                saturated += BitOperations.PopCount(TSimd.GreaterBits(m, limit));
            }
        }
        for (; i < n; i++)
        {
            float t = Compute(x[i]);
            y[i] = t;
            if (TMode.Reads && MathF.Abs(t) > saturatedAbove)
            {
                saturated++;
            }
        }
        return saturated;
    }
}
