using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The handful of vector operations our own kernels need, over one vector width. The BCL's <c>ISimdVector</c> is
/// internal, so kernels are written once as generics over this interface and the JIT specializes them per width
/// (struct type arguments are never shared), giving the same code as hand-written Vector256/Vector512 loops.
/// </summary>
internal unsafe interface ISimd<TVec>
    where TVec : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(float* p);

    static abstract void Store(float* p, TVec v);

    static abstract TVec Splat(float value);

    /// <summary><c>a * b + c</c>, fused where the hardware has FMA.</summary>
    static abstract TVec MulAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    static abstract TVec Abs(TVec v);

    static abstract TVec Sqrt(TVec v);

    static abstract TVec CopySign(TVec value, TVec sign);

    /// <summary>Per lane: <paramref name="ifLess"/> where <c>a &lt; b</c>, else <paramref name="otherwise"/>.</summary>
    static abstract TVec SelectLess(TVec a, TVec b, TVec ifLess, TVec otherwise);

    /// <summary>e^v per lane (the BCL's vector exp).</summary>
    static abstract TVec Exp(TVec v);

    static abstract float Sum(TVec v);

    /// <summary>The largest lane; unspecified for NaN (callers that can see NaN check a sum first).</summary>
    static abstract float MaxAcross(TVec v);

    /// <summary>The hardware minimum (one <c>vminps</c>): unspecified for NaN, so callers handle NaN apart.</summary>
    static abstract TVec MinNative(TVec a, TVec b);

    /// <summary>The hardware maximum (one <c>vmaxps</c>): unspecified for NaN, so callers handle NaN apart.</summary>
    static abstract TVec MaxNative(TVec a, TVec b);

    /// <summary>The IEEE 754 maximum, as <see cref="System.Math.Max(float, float)"/>: NaN propagates, +0 is above −0.</summary>
    static abstract TVec Max(TVec a, TVec b);

    /// <summary>A bit per lane (lane i is bit i), set where <c>a &gt; b</c>; false for NaN.</summary>
    static abstract ulong GreaterBits(TVec a, TVec b);

    /// <summary>A bit per lane (lane i is bit i), set where the lane is exactly zero (either sign).</summary>
    static abstract ulong ZeroBits(TVec a);

    /// <summary><c>max(m, |v|)</c> for a non-negative <paramref name="m"/>; unspecified for NaN.</summary>
    static abstract TVec MaxAbs(TVec m, TVec v);

    /// <summary><c>min(m, |v|)</c> for a non-negative <paramref name="m"/>; unspecified for NaN.</summary>
    static abstract TVec MinAbs(TVec m, TVec v);

    /// <summary><c>max(|a|, |b|)</c>; unspecified for NaN.</summary>
    static abstract TVec MaxOfAbs(TVec a, TVec b);

    /// <summary><c>min(|a|, |b|)</c>; unspecified for NaN.</summary>
    static abstract TVec MinOfAbs(TVec a, TVec b);

    /// <summary>
    /// The larger of two magnitudes (non-negative lanes) compared as unsigned integers, which orders them as floats do:
    /// an integer instruction, which runs beside a GEMM's FMAs where a float max competed with them.
    /// </summary>
    static abstract TVec MaxOfMagnitudes(TVec a, TVec b);

    /// <summary>The smaller of two magnitudes, as <see cref="MaxOfMagnitudes"/>.</summary>
    static abstract TVec MinOfMagnitudes(TVec a, TVec b);
}

/// <summary>Vector512 (AVX-512) operations.</summary>
internal readonly unsafe struct Simd512 : ISimd<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector512<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MulAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) =>
        Vector512.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> v) => Vector512.Abs(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Sqrt(Vector512<float> v) => Vector512.Sqrt(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> CopySign(Vector512<float> value, Vector512<float> sign) => Vector512.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> SelectLess(Vector512<float> a, Vector512<float> b, Vector512<float> ifLess, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(Vector512.LessThan(a, b), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> v) => Vector512.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector512<float> v) => Simd256.MaxAcross(Vector256.Max(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinNative(Vector512<float> a, Vector512<float> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GreaterBits(Vector512<float> a, Vector512<float> b) => Vector512.GreaterThan(a, b).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> v) => Vector512.Exp(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZeroBits(Vector512<float> a) => Vector512.Equals(a, Vector512<float>.Zero).ExtractMostSignificantBits();

    // AVX-512DQ's vrangeps takes the larger or smaller magnitude with the sign cleared in one instruction, where
    // abs and max take two (imm8: bits 1:0 = 11 max-abs, 10 min-abs; bits 3:2 = 10 clear the sign).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxAbs(Vector512<float> m, Vector512<float> v) =>
        Avx512DQ.IsSupported ? Avx512DQ.Range(m, v, 0b1011) : Vector512.MaxNative(m, Vector512.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinAbs(Vector512<float> m, Vector512<float> v) =>
        Avx512DQ.IsSupported ? Avx512DQ.Range(m, v, 0b1010) : Vector512.MinNative(m, Vector512.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxOfAbs(Vector512<float> a, Vector512<float> b) =>
        Avx512DQ.IsSupported ? Avx512DQ.Range(a, b, 0b1011) : Vector512.MaxNative(Vector512.Abs(a), Vector512.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinOfAbs(Vector512<float> a, Vector512<float> b) =>
        Avx512DQ.IsSupported ? Avx512DQ.Range(a, b, 0b1010) : Vector512.MinNative(Vector512.Abs(a), Vector512.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MaxOfMagnitudes(Vector512<float> a, Vector512<float> b) =>
        Vector512.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinOfMagnitudes(Vector512<float> a, Vector512<float> b) =>
        Vector512.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();
}

/// <summary>Vector256 (AVX2) operations.</summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector256<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MulAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Vector256.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> v) => Vector256.Abs(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Sqrt(Vector256<float> v) => Vector256.Sqrt(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> CopySign(Vector256<float> value, Vector256<float> sign) => Vector256.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> SelectLess(Vector256<float> a, Vector256<float> b, Vector256<float> ifLess, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(Vector256.LessThan(a, b), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> v) => Vector256.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> v) => Simd128.MaxAcross(Vector128.Max(v.GetLower(), v.GetUpper()));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinNative(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GreaterBits(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThan(a, b).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> v) => Vector256.Exp(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZeroBits(Vector256<float> a) => Vector256.Equals(a, Vector256<float>.Zero).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxAbs(Vector256<float> m, Vector256<float> v) => Vector256.MaxNative(m, Vector256.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinAbs(Vector256<float> m, Vector256<float> v) => Vector256.MinNative(m, Vector256.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxOfAbs(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(Vector256.Abs(a), Vector256.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinOfAbs(Vector256<float> a, Vector256<float> b) => Vector256.MinNative(Vector256.Abs(a), Vector256.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MaxOfMagnitudes(Vector256<float> a, Vector256<float> b) =>
        Vector256.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinOfMagnitudes(Vector256<float> a, Vector256<float> b) =>
        Vector256.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();
}

/// <summary>Vector128 (SSE/NEON) operations: the floor every supported CPU accelerates.</summary>
internal readonly unsafe struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, Vector128<float> v) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Splat(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MulAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Abs(Vector128<float> v) => Vector128.Abs(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Sqrt(Vector128<float> v) => Vector128.Sqrt(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> CopySign(Vector128<float> value, Vector128<float> sign) => Vector128.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> SelectLess(Vector128<float> a, Vector128<float> b, Vector128<float> ifLess, Vector128<float> otherwise) =>
        Vector128.ConditionalSelect(Vector128.LessThan(a, b), ifLess, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> v) => Vector128.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector128<float> v) => System.MathF.Max(System.MathF.Max(v[0], v[1]), System.MathF.Max(v[2], v[3]));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinNative(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong GreaterBits(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThan(a, b).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> v) => Vector128.Exp(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ZeroBits(Vector128<float> a) => Vector128.Equals(a, Vector128<float>.Zero).ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxAbs(Vector128<float> m, Vector128<float> v) => Vector128.MaxNative(m, Vector128.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinAbs(Vector128<float> m, Vector128<float> v) => Vector128.MinNative(m, Vector128.Abs(v));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxOfAbs(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(Vector128.Abs(a), Vector128.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinOfAbs(Vector128<float> a, Vector128<float> b) => Vector128.MinNative(Vector128.Abs(a), Vector128.Abs(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxNative(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MaxOfMagnitudes(Vector128<float> a, Vector128<float> b) =>
        Vector128.Max(a.AsUInt32(), b.AsUInt32()).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MinOfMagnitudes(Vector128<float> a, Vector128<float> b) =>
        Vector128.Min(a.AsUInt32(), b.AsUInt32()).AsSingle();
}
