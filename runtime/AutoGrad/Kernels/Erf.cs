using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// The error function for GELU, which neither MathF nor TensorPrimitives provides. Abramowitz &amp; Stegun 7.1.28:
/// <c>erf x ≈ 1 − (1 + a₁x + … + a₆x⁶)⁻¹⁶</c> for x ≥ 0, absolute error ≤ 3·10⁻⁷ (below float resolution near 1),
/// and it needs no exp, so it vectorizes as a polynomial, four squarings and a divide. Large |x| overflows the
/// power to ∞, giving exactly ±1.
/// </summary>
internal static class Erf
{
    private const float A1 = 0.0705230784f, A2 = 0.0422820123f, A3 = 0.0092705272f;
    private const float A4 = 0.0001520143f, A5 = 0.0002765672f, A6 = 0.0000430638f;
    private const float InvSqrt2 = 0.70710678118654752f;

    public static float Evaluate(float x)
    {
        float a = MathF.Abs(x);
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
        Vector128<float> z = x * InvSqrt2;
        Vector128<float> a = Vector128.Abs(z);
        Vector128<float> t = Vector128<float>.One + a * (Vector128.Create(A1) + a * (Vector128.Create(A2) + a * (Vector128.Create(A3)
            + a * (Vector128.Create(A4) + a * (Vector128.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector128<float> erf = Vector128.CopySign(Vector128<float>.One - Vector128<float>.One / t, z);
        return (Vector128<float>.One + erf) * 0.5f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> NormalCdf(Vector256<float> x)
    {
        Vector256<float> z = x * InvSqrt2;
        Vector256<float> a = Vector256.Abs(z);
        Vector256<float> t = Vector256<float>.One + a * (Vector256.Create(A1) + a * (Vector256.Create(A2) + a * (Vector256.Create(A3)
            + a * (Vector256.Create(A4) + a * (Vector256.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector256<float> erf = Vector256.CopySign(Vector256<float>.One - Vector256<float>.One / t, z);
        return (Vector256<float>.One + erf) * 0.5f;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> NormalCdf(Vector512<float> x)
    {
        Vector512<float> z = x * InvSqrt2;
        Vector512<float> a = Vector512.Abs(z);
        Vector512<float> t = Vector512<float>.One + a * (Vector512.Create(A1) + a * (Vector512.Create(A2) + a * (Vector512.Create(A3)
            + a * (Vector512.Create(A4) + a * (Vector512.Create(A5) + a * A6)))));
        t *= t;
        t *= t;
        t *= t;
        t *= t;
        Vector512<float> erf = Vector512.CopySign(Vector512<float>.One - Vector512<float>.One / t, z);
        return (Vector512<float>.One + erf) * 0.5f;
    }
}
