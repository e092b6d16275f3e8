using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

// Activation derivatives fused with the multiply by the upstream gradient: TensorPrimitives has the forward
// functions but no "dY times f'(y)" kernel, and doing it in two TensorPrimitives passes would write and reread a
// temporary. Each takes (dY, saved value) and is run by Elementwise.Map, which adds or overwrites.

/// <summary><c>dY·y(1−y)</c> from the sigmoid's output y.</summary>
internal readonly struct SigmoidGradient : IBinaryOp
{
    public float Invoke(float dy, float y) => dy * y * (1f - y);
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> y) => dy * y * (Vector128<float>.One - y);
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * y * (Vector256<float>.One - y);
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * y * (Vector512<float>.One - y);
}

/// <summary><c>dY·(1−y²)</c> from tanh's output y.</summary>
internal readonly struct TanhGradient : IBinaryOp
{
    public float Invoke(float dy, float y) => dy * (1f - y * y);
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> y) => dy * (Vector128<float>.One - y * y);
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * (Vector256<float>.One - y * y);
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * (Vector512<float>.One - y * y);
}

/// <summary><c>dY</c> where the ReLU's output is positive, else 0.</summary>
internal readonly struct ReluGradient : IBinaryOp
{
    public float Invoke(float dy, float y) => y > 0f ? dy : 0f;
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> y) => Vector128.GreaterThan(y, Vector128<float>.Zero) & dy;
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => Vector256.GreaterThan(y, Vector256<float>.Zero) & dy;
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => Vector512.GreaterThan(y, Vector512<float>.Zero) & dy;
}

/// <summary><c>dY</c> where the input is positive, else <c>alpha·dY</c>.</summary>
internal readonly struct LeakyReluGradient(float alpha) : IBinaryOp
{
    public float Invoke(float dy, float x) => x > 0f ? dy : alpha * dy;
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, dy * alpha);
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, dy * alpha);
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, dy * alpha);
}

/// <summary>
/// ELU-family derivative from the input: <c>scale·dY</c> where x &gt; 0, else <c>dY·scale·alpha·eˣ</c> (e = eˣ),
/// the left derivative at 0 as PyTorch has it. From the output it would be <c>y + scale·alpha</c>, which cancels
/// where y nears −scale·alpha: at x = −17 that lost 44% of the derivative, below −17.3 all of it.
/// ELU is scale 1, alpha 1; SELU uses its fixed constants.
/// </summary>
internal readonly struct EluGradient(float scale, float alpha) : ITernaryOp
{
    private readonly float _negativeScale = scale * alpha;

    public float Invoke(float dy, float x, float e) => x > 0f ? scale * dy : dy * (_negativeScale * e);
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> x, Vector128<float> e) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy * scale, dy * (e * _negativeScale));
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x, Vector256<float> e) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy * scale, dy * (e * _negativeScale));
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x, Vector512<float> e) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy * scale, dy * (e * _negativeScale));
}

/// <summary>SiLU derivative: <c>dY·s·(1 + x·(1 − s))</c> with s = sigmoid(x).</summary>
internal readonly struct SiluGradient : ITernaryOp
{
    // At x = ±∞ the formula is ∞·0; the limits of the derivative are 1 (x → +∞) and 0 (x → −∞).
    public float Invoke(float dy, float x, float s) =>
        float.IsInfinity(x) ? (x > 0 ? dy : 0f * dy) : dy * s * (1f + x * (1f - s));
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> x, Vector128<float> s) =>
        InfiniteInputs.AtInfinity(x, dy, dy * s * (Vector128<float>.One + x * (Vector128<float>.One - s)));
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x, Vector256<float> s) =>
        InfiniteInputs.AtInfinity(x, dy, dy * s * (Vector256<float>.One + x * (Vector256<float>.One - s)));
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x, Vector512<float> s) =>
        InfiniteInputs.AtInfinity(x, dy, dy * s * (Vector512<float>.One + x * (Vector512<float>.One - s)));
}

/// <summary>GELU derivative: <c>dY·(Φ(x) + x·φ(x))</c>, given <c>e = exp(−x²/2)</c> (so φ(x) = e/√(2π)).</summary>
internal readonly struct GeluGradient : ITernaryOp
{
    private const float InvSqrt2Pi = 0.3989422804014327f;

    // At x = ±∞, x·e is ∞·0; the limits of the derivative are 1 and 0, as SiLU's.
    public float Invoke(float dy, float x, float e) =>
        float.IsInfinity(x) ? (x > 0 ? dy : 0f * dy) : dy * (Erf.NormalCdf(x) + x * e * InvSqrt2Pi);
    public Vector128<float> Invoke(Vector128<float> dy, Vector128<float> x, Vector128<float> e) =>
        InfiniteInputs.AtInfinity(x, dy, dy * (Erf.NormalCdf<Simd128, Vector128<float>>(x) + x * e * InvSqrt2Pi));
    public Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x, Vector256<float> e) =>
        InfiniteInputs.AtInfinity(x, dy, dy * (Erf.NormalCdf<Simd256, Vector256<float>>(x) + x * e * InvSqrt2Pi));
    public Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x, Vector512<float> e) =>
        InfiniteInputs.AtInfinity(x, dy, dy * (Erf.NormalCdf<Simd512, Vector512<float>>(x) + x * e * InvSqrt2Pi));
}

/// <summary>
/// The derivative's limits where x·(something that reaches 0) is ∞·0 (SiLU's and GELU's): 1 as x → +∞, 0 as x → −∞.
/// </summary>
internal static class InfiniteInputs
{
    public static Vector128<float> AtInfinity(Vector128<float> x, Vector128<float> dy, Vector128<float> finite) =>
        Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.PositiveInfinity)), dy,
            Vector128.ConditionalSelect(Vector128.Equals(x, Vector128.Create(float.NegativeInfinity)), dy * Vector128<float>.Zero, finite));
    public static Vector256<float> AtInfinity(Vector256<float> x, Vector256<float> dy, Vector256<float> finite) =>
        Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.PositiveInfinity)), dy,
            Vector256.ConditionalSelect(Vector256.Equals(x, Vector256.Create(float.NegativeInfinity)), dy * Vector256<float>.Zero, finite));
    public static Vector512<float> AtInfinity(Vector512<float> x, Vector512<float> dy, Vector512<float> finite) =>
        Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.PositiveInfinity)), dy,
            Vector512.ConditionalSelect(Vector512.Equals(x, Vector512.Create(float.NegativeInfinity)), dy * Vector512<float>.Zero, finite));
}
