using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

// Activation forwards TensorPrimitives has no single call for (it has Sigmoid, Tanh, Max for ReLU, ExpM1, but no
// leaky ReLU select, ELU select or erf).

/// <summary>
/// GELU forward <c>x·Φ(x)</c> (the exact form, PyTorch's default), with its limit −0 at x = −∞, where the product is
/// −∞·0 (NaN in PyTorch too: a −∞ input is no NaN to propagate).
/// </summary>
internal readonly struct GeluForward : IUnaryOp
{
    public float Invoke(float x) => float.IsNegativeInfinity(x) ? -0f : x * Erf.NormalCdf(x);
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128.Create(-0f), x * Erf.NormalCdf<Simd128, Vector128<float>>(x));
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256.Create(-0f), x * Erf.NormalCdf<Simd256, Vector256<float>>(x));
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512.Create(-0f), x * Erf.NormalCdf<Simd512, Vector512<float>>(x));
}

/// <summary>SiLU forward from x and <c>s = σ(x)</c>: <c>x·s</c>, with its limit −0 at x = −∞ (−∞·0 otherwise).</summary>
internal readonly struct SiluForward : IBinaryOp
{
    public float Invoke(float x, float s) => float.IsNegativeInfinity(x) ? -0f : x * s;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> s) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), Vector128.Create(-0f), x * s);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> s) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), Vector256.Create(-0f), x * s);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> s) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), Vector512.Create(-0f), x * s);
}

/// <summary>Leaky ReLU forward: x where positive, else alpha·x.</summary>
internal readonly struct LeakyReluForward(float alpha) : IUnaryOp
{
    public float Invoke(float x) => x > 0f ? x : alpha * x;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x, x * alpha);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x, x * alpha);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x, x * alpha);
}

/// <summary>
/// ELU-family forward from x and <c>m = eˣ − 1</c> (computed by TensorPrimitives.ExpM1): <c>scale·x</c> where
/// x &gt; 0, else <c>scale·alpha·m</c>.
/// </summary>
internal readonly struct EluForward(float scale, float alpha) : IBinaryOp
{
    private readonly float _negativeScale = scale * alpha;

    // TensorPrimitives.ExpM1 is exp(x) − 1, which keeps few digits of a small result (and gives +1.19e-7 at x = 0, so
    // SELU's pullback, which reads the output's sign, took the positive branch there). Where |x| < ln 2, expm1 is its
    // Taylor series to x⁹ (the next term is under 2e-8 of the result); beyond, exp(x) < 1/2 and exp(x) − 1 loses
    // nothing. The result stays ≤ 0, as expm1 of a non-positive x is.
    private const float SeriesBound = 0.6931472f;

    public float Invoke(float x, float m)
    {
        float e = MathF.Abs(x) < SeriesBound ? Series(x) : m;
        return x > 0f ? scale * x : _negativeScale * MathF.Min(e, 0f);
    }

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> m)
    {
        Vector128<float> e = Vector128.Min(Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), Vector128.Create(SeriesBound)), Series(x), m), Vector128<float>.Zero);
        return Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x * scale, e * _negativeScale);
    }

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> m)
    {
        Vector256<float> e = Vector256.Min(Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(SeriesBound)), Series(x), m), Vector256<float>.Zero);
        return Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * scale, e * _negativeScale);
    }

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> m)
    {
        Vector512<float> e = Vector512.Min(Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(SeriesBound)), Series(x), m), Vector512<float>.Zero);
        return Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * scale, e * _negativeScale);
    }

    private static float Series(float x) => x * (1f + x * (0.5f + x * (1f / 6f + x * (1f / 24f + x * (1f / 120f + x * (1f / 720f + x * (1f / 5040f + x * (1f / 40320f + x * (1f / 362880f)))))))));

    private static Vector128<float> Series(Vector128<float> x) =>
        x * (Vector128<float>.One + x * (Vector128.Create(0.5f) + x * (Vector128.Create(1f / 6f) + x * (Vector128.Create(1f / 24f) + x * (Vector128.Create(1f / 120f) + x * (Vector128.Create(1f / 720f) + x * (Vector128.Create(1f / 5040f) + x * (Vector128.Create(1f / 40320f) + x * (Vector128.Create(1f / 362880f))))))))));

    private static Vector256<float> Series(Vector256<float> x) =>
        x * (Vector256<float>.One + x * (Vector256.Create(0.5f) + x * (Vector256.Create(1f / 6f) + x * (Vector256.Create(1f / 24f) + x * (Vector256.Create(1f / 120f) + x * (Vector256.Create(1f / 720f) + x * (Vector256.Create(1f / 5040f) + x * (Vector256.Create(1f / 40320f) + x * (Vector256.Create(1f / 362880f))))))))));

    private static Vector512<float> Series(Vector512<float> x) =>
        x * (Vector512<float>.One + x * (Vector512.Create(0.5f) + x * (Vector512.Create(1f / 6f) + x * (Vector512.Create(1f / 24f) + x * (Vector512.Create(1f / 120f) + x * (Vector512.Create(1f / 720f) + x * (Vector512.Create(1f / 5040f) + x * (Vector512.Create(1f / 40320f) + x * (Vector512.Create(1f / 362880f))))))))));
}

/// <summary>
/// Replaces values with |v| below a threshold by 0, keeping NaN and everything else. Used on softmax
/// probabilities, whose confidently wrong classes would otherwise underflow into the subnormal range: x86 cores
/// without FTZ/DAZ (.NET never sets them) take a microcode assist on every op that touches a subnormal, which made
/// a [64, 10] cross-entropy step 5–10× slower.
/// </summary>
internal readonly struct ZeroBelow(float threshold) : IUnaryOp
{
    public float Invoke(float x) => MathF.Abs(x) < threshold ? 0f : x;
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), Vector128.Create(threshold)), Vector128<float>.Zero, x);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(threshold)), Vector256<float>.Zero, x);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(threshold)), Vector512<float>.Zero, x);
}

/// <summary>
/// <c>a + log1p(t)</c> from <c>logOfSum</c> = log(fl(1 + t)), with log1p(t) as <c>log(u)·t/(u − 1)</c> for
/// u = fl(1 + t) (u − 1 is exact), which cancels the rounding of 1 + t, and t itself where 1 + t rounds to 1: softplus's
/// tail (<see cref="SoftplusFinish"/>) and binary cross-entropy's, where t = e^(−|x|) is far below float's epsilon for
/// a confident logit (log(1 + e^(−17)) read 0, and 1.19e-7 for 6.83e-8 at x = 16.5).
/// </summary>
internal readonly struct AddLogOnePlus : ITernaryOp
{
    public float Invoke(float a, float t, float logOfSum)
    {
        float d = (1f + t) - 1f;
        return a + (d == 0f ? t : logOfSum * (t / d));
    }

    public Vector128<float> Invoke(Vector128<float> a, Vector128<float> t, Vector128<float> logOfSum)
    {
        Vector128<float> d = (Vector128<float>.One + t) - Vector128<float>.One;
        return a + Vector128.ConditionalSelect(Vector128.Equals(d, Vector128<float>.Zero), t, logOfSum * (t / d));
    }

    public Vector256<float> Invoke(Vector256<float> a, Vector256<float> t, Vector256<float> logOfSum)
    {
        Vector256<float> d = (Vector256<float>.One + t) - Vector256<float>.One;
        return a + Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<float>.Zero), t, logOfSum * (t / d));
    }

    public Vector512<float> Invoke(Vector512<float> a, Vector512<float> t, Vector512<float> logOfSum)
    {
        Vector512<float> d = (Vector512<float>.One + t) - Vector512<float>.One;
        return a + Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<float>.Zero), t, logOfSum * (t / d));
    }
}

/// <summary>
/// Softplus from x, <c>t = e^(−|x|)</c> and <c>log(fl(1 + t))</c>: <c>max(x, 0) + log1p(t)</c>
/// (<see cref="AddLogOnePlus"/>).
/// </summary>
internal readonly struct SoftplusFinish : ITernaryOp
{
    public float Invoke(float x, float t, float logOfSum) => default(AddLogOnePlus).Invoke(MathF.Max(x, 0f), t, logOfSum);

    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> t, Vector128<float> logOfSum) =>
        default(AddLogOnePlus).Invoke(Vector128.Max(x, Vector128<float>.Zero), t, logOfSum);

    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> t, Vector256<float> logOfSum) =>
        default(AddLogOnePlus).Invoke(Vector256.Max(x, Vector256<float>.Zero), t, logOfSum);

    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> t, Vector512<float> logOfSum) =>
        default(AddLogOnePlus).Invoke(Vector512.Max(x, Vector512<float>.Zero), t, logOfSum);
}
