using System;
using System.Runtime.CompilerServices;

namespace AutoGrad.Kernels;

/// <summary>
/// The error function for GELU, which neither MathF nor TensorPrimitives provides, in two pieces that need no exp
/// and so vectorize as polynomials: for |x| &lt; 1 the Maclaurin series <c>erf x = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹/(n!(2n+1))</c>
/// to n = 11 (truncation below 10⁻¹⁰, and relative accuracy near 0, where GELU's slope is decided); beyond,
/// Abramowitz &amp; Stegun 7.1.28, <c>1 − (1 + a₁x + … + a₆x⁶)⁻¹⁶</c> (error ≤ 3·10⁻⁷; large |x| overflows the power
/// to ∞, giving exactly ±1). Both branches are evaluated and selected per lane. The normal CDF below x = −1.9, where
/// an absolute error of 3·10⁻⁷ is most of Φ itself, comes from Mills' ratio instead (<see cref="Tail"/>, with exp).
/// </summary>
internal static class Erf
{
    private const float A1 = 0.0705230784f, A2 = 0.0422820123f, A3 = 0.0092705272f;
    private const float A4 = 0.0001520143f, A5 = 0.0002765672f, A6 = 0.0000430638f;
    private const float S0 = 1.1283791670955126f;
    private const float S1 = -0.37612638903183754f;
    private const float S2 = 0.11283791670955126f;
    private const float S3 = -0.026866170645131252f;
    private const float S4 = 0.0052239776254421879f;
    private const float S5 = -0.00085483270234508522f;
    private const float S6 = 0.00012055332981789664f;
    private const float S7 = -1.492565035840625e-05f;
    private const float S8 = 1.6462114365889246e-06f;
    private const float S9 = -1.6365844691234924e-07f;
    private const float S10 = 1.4807192815879218e-08f;
    private const float S11 = -1.2290555301717926e-09f;
    private const float InvSqrt2 = 0.70710678118654752f;

    public static float Evaluate(float x)
    {
        float a = MathF.Abs(x);
        if (a < 1f)
        {
            float z = x * x;
            return x * (S0 + z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * (S6 + z * (S7 + z * (S8 + z * (S9 + z * (S10 + z * (S11))))))))))));
        }
        float t = 1f + a * (A1 + a * (A2 + a * (A3 + a * (A4 + a * (A5 + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        return MathF.CopySign(1f - 1f / t, x);
    }

    /// <summary>Φ(x) = (1 + erf(x/√2)) / 2, the standard normal CDF.</summary>
    public static float NormalCdf(float x) => x < TailStart ? Tail<SimdScalar, float>(x) : 0.5f * (1f + Evaluate(x * InvSqrt2));

    /// <summary>Below this Φ comes from <see cref="Tail"/>: (1 + erf) / 2 keeps only erf's absolute accuracy, so Φ
    /// itself read 4% off at x = −5 and 0 from x = −6 (where it is 6e-10, and GELU −6e-9).</summary>
    private const float TailStart = -1.9f;

    /// <summary>Terms of the continued fraction: its relative error is about 2e-7 at x = −1.9 and falls fast beyond.</summary>
    private const int TailTerms = 24;

    private const float InvSqrt2Pi = 0.3989422804014327f;

    /// <summary>
    /// Φ(x) for x &lt; −1.9 as φ(x)·m(−x), with Mills' ratio m(t) = Φ(−t)/φ(t) from Laplace's continued fraction
    /// 1/(t + 1/(t + 2/(t + 3/(t + …)))): relative accuracy where Φ is tiny, and 0 only where it underflows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Tail<TSimd, TVec>(TVec x)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        TVec t = TSimd.Abs(x);
        TVec fraction = t;
        for (int k = TailTerms; k >= 1; k--)
        {
            fraction = TSimd.Add(t, TSimd.Divide(TSimd.Splat(k), fraction));
        }
        // x² rounded to float is off by up to half an ulp, which exp(−x²/2) multiplies by x²/2: 4e-6 of Φ at x = −11.
        // The rounding error, exact by Dekker's split (no fused multiply-add needed, so every lane width agrees),
        // corrects it to first order.
        // Past x = −20, Φ underflows whatever the correction; clamped there, the split stays finite (4097·x and x²
        // overflowed for |x| past 1e19, and ∞ − ∞ made Φ NaN).
        TVec square = TSimd.Multiply(x, x);
        TVec near = TSimd.Max(x, TSimd.Splat(-20f));
        TVec nearSquare = TSimd.Multiply(near, near);
        TVec split = TSimd.Multiply(near, TSimd.Splat(4097f));
        TVec high = TSimd.Subtract(split, TSimd.Subtract(split, near));
        TVec low = TSimd.Subtract(near, high);
        TVec squareError = TSimd.Add(TSimd.Add(TSimd.Subtract(TSimd.Multiply(high, high), nearSquare), TSimd.Multiply(TSimd.Multiply(high, low), TSimd.Splat(2f))),
            TSimd.Multiply(low, low));
        TVec density = TSimd.Multiply(TSimd.Exp(TSimd.Multiply(square, TSimd.Splat(-0.5f))), TSimd.Splat(InvSqrt2Pi));
        density = TSimd.Multiply(density, TSimd.MulAdd(squareError, TSimd.Splat(-0.5f), TSimd.Splat(1f)));
        return TSimd.Divide(density, fraction);
    }

    /// <summary>Φ at every lane of a vector (both erf branches evaluated, then selected per lane).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec NormalCdf<TSimd, TVec>(TVec x)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        TVec one = TSimd.Splat(1f);
        TVec v = TSimd.Multiply(x, TSimd.Splat(InvSqrt2));
        TVec a = TSimd.Abs(v);
        TVec z = TSimd.Multiply(v, v);
        TVec series = TSimd.Multiply(v, Series<TSimd, TVec>(z));
        TVec t = TSimd.MulAdd(a, TSimd.Splat(A6), TSimd.Splat(A5));
        t = TSimd.MulAdd(a, t, TSimd.Splat(A4));
        t = TSimd.MulAdd(a, t, TSimd.Splat(A3));
        t = TSimd.MulAdd(a, t, TSimd.Splat(A2));
        t = TSimd.MulAdd(a, t, TSimd.Splat(A1));
        t = TSimd.MulAdd(a, t, one);
        t = TSimd.Multiply(t, t);
        t = TSimd.Multiply(t, t);
        t = TSimd.Multiply(t, t);
        t = TSimd.Multiply(t, t);
        TVec tail = TSimd.CopySign(TSimd.Subtract(one, TSimd.Divide(one, t)), v);
        TVec erf = TSimd.SelectLess(a, one, series, tail);
        TVec cdf = TSimd.Multiply(TSimd.Add(one, erf), TSimd.Splat(0.5f));
        // The continued fraction's 24 divisions only for vectors with a lane in the lower tail.
        TVec start = TSimd.Splat(TailStart);
        return TSimd.GreaterBits(start, x) == 0 ? cdf : TSimd.SelectLess(x, start, Tail<TSimd, TVec>(x), cdf);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVec Series<TSimd, TVec>(TVec z)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.MulAdd(z, TSimd.Splat(S11), TSimd.Splat(S10)), TSimd.Splat(S9)), TSimd.Splat(S8)), TSimd.Splat(S7)), TSimd.Splat(S6)), TSimd.Splat(S5)), TSimd.Splat(S4)), TSimd.Splat(S3)), TSimd.Splat(S2)), TSimd.Splat(S1)), TSimd.Splat(S0));
}
