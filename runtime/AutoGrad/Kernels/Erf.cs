using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// The error function for GELU, which neither MathF nor TensorPrimitives provides, in two pieces that need no exp
/// and so vectorize as polynomials: for |x| &lt; 1 the Maclaurin series <c>erf x = 2/√π Σ (−1)ⁿ x²ⁿ⁺¹/(n!(2n+1))</c>
/// to n = 11 (truncation below 10⁻¹⁰, and relative accuracy near 0, where GELU's slope is decided); beyond,
/// Abramowitz &amp; Stegun 7.1.28, <c>1 − (1 + a₁x + … + a₆x⁶)⁻¹⁶</c> (error ≤ 3·10⁻⁷; large |x| overflows the power
/// to ∞, giving exactly ±1). Both branches are evaluated and selected per lane.
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
    public static float NormalCdf(float x) => 0.5f * (1f + Evaluate(x * InvSqrt2));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> NormalCdf(Vector128<float> x)
    {
        Vector128<float> v = x * InvSqrt2;
        Vector128<float> a = Vector128.Abs(v);
        Vector128<float> z = v * v;
        Vector128<float> series = v * (Vector128.Create(S0) + z * (Vector128.Create(S1) + z * (Vector128.Create(S2) + z * (Vector128.Create(S3) + z * (Vector128.Create(S4) + z * (Vector128.Create(S5) + z * (Vector128.Create(S6) + z * (Vector128.Create(S7) + z * (Vector128.Create(S8) + z * (Vector128.Create(S9) + z * (Vector128.Create(S10) + z * (Vector128.Create(S11)))))))))))));
        Vector128<float> t = Vector128<float>.One + a * (Vector128.Create(A1) + a * (Vector128.Create(A2) + a * (Vector128.Create(A3)
            + a * (Vector128.Create(A4) + a * (Vector128.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector128<float> tail = Vector128.CopySign(Vector128<float>.One - Vector128<float>.One / t, v);
        Vector128<float> erf = Vector128.ConditionalSelect(Vector128.LessThan(a, Vector128<float>.One), series, tail);
        return (Vector128<float>.One + erf) * 0.5f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        Vector256<float> v = x * InvSqrt2;
        Vector256<float> a = Vector256.Abs(v);
        Vector256<float> z = v * v;
        Vector256<float> series = v * (Vector256.Create(S0) + z * (Vector256.Create(S1) + z * (Vector256.Create(S2) + z * (Vector256.Create(S3) + z * (Vector256.Create(S4) + z * (Vector256.Create(S5) + z * (Vector256.Create(S6) + z * (Vector256.Create(S7) + z * (Vector256.Create(S8) + z * (Vector256.Create(S9) + z * (Vector256.Create(S10) + z * (Vector256.Create(S11)))))))))))));
        Vector256<float> t = Vector256<float>.One + a * (Vector256.Create(A1) + a * (Vector256.Create(A2) + a * (Vector256.Create(A3)
            + a * (Vector256.Create(A4) + a * (Vector256.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector256<float> tail = Vector256.CopySign(Vector256<float>.One - Vector256<float>.One / t, v);
        Vector256<float> erf = Vector256.ConditionalSelect(Vector256.LessThan(a, Vector256<float>.One), series, tail);
        return (Vector256<float>.One + erf) * 0.5f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalCdf(Vector512<float> x)
    {
        Vector512<float> v = x * InvSqrt2;
        Vector512<float> a = Vector512.Abs(v);
        Vector512<float> z = v * v;
        Vector512<float> series = v * (Vector512.Create(S0) + z * (Vector512.Create(S1) + z * (Vector512.Create(S2) + z * (Vector512.Create(S3) + z * (Vector512.Create(S4) + z * (Vector512.Create(S5) + z * (Vector512.Create(S6) + z * (Vector512.Create(S7) + z * (Vector512.Create(S8) + z * (Vector512.Create(S9) + z * (Vector512.Create(S10) + z * (Vector512.Create(S11)))))))))))));
        Vector512<float> t = Vector512<float>.One + a * (Vector512.Create(A1) + a * (Vector512.Create(A2) + a * (Vector512.Create(A3)
            + a * (Vector512.Create(A4) + a * (Vector512.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector512<float> tail = Vector512.CopySign(Vector512<float>.One - Vector512<float>.One / t, v);
        Vector512<float> erf = Vector512.ConditionalSelect(Vector512.LessThan(a, Vector512<float>.One), series, tail);
        return (Vector512<float>.One + erf) * 0.5f;
    }
}
