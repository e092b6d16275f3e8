using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

// Activation forwards TensorPrimitives has no single call for (it has Sigmoid, Tanh, Max for ReLU, ExpM1, but no
// leaky ReLU select, ELU select or erf).

/// <summary>GELU forward <c>x·Φ(x)</c> (the exact form, PyTorch's default).</summary>
internal readonly struct GeluForward : IUnaryOp
{
    public float Invoke(float x) => x * Erf.NormalCdf(x);
    public Vector128<float> Invoke(Vector128<float> x) => x * Erf.NormalCdf<Simd128, Vector128<float>>(x);
    public Vector256<float> Invoke(Vector256<float> x) => x * Erf.NormalCdf<Simd256, Vector256<float>>(x);
    public Vector512<float> Invoke(Vector512<float> x) => x * Erf.NormalCdf<Simd512, Vector512<float>>(x);
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

    public float Invoke(float x, float m) => x > 0f ? scale * x : _negativeScale * m;
    public Vector128<float> Invoke(Vector128<float> x, Vector128<float> m) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), x * scale, m * _negativeScale);
    public Vector256<float> Invoke(Vector256<float> x, Vector256<float> m) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), x * scale, m * _negativeScale);
    public Vector512<float> Invoke(Vector512<float> x, Vector512<float> m) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), x * scale, m * _negativeScale);
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
