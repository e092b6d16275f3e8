using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Optim.Kernels;

/// <summary>
/// The handful of lane operations our fused kernels need, as static abstract members so that each kernel is
/// written once and the JIT specializes it for <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/> and plain
/// <see cref="float"/> (the scalar tail). <c>ISimdVector</c> would serve, but it is not public in .NET 10.
/// </summary>
/// <typeparam name="TVec">The lane type: a vector of floats, or one float.</typeparam>
internal interface ISimdOps<TVec>
    where TVec : struct
{
    /// <summary>Floats per lane value.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Load(ref float source, int index);

    static abstract void Store(TVec value, ref float destination, int index);

    static abstract TVec Broadcast(float value);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>a * b + c.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Sqrt(TVec a);

    static abstract TVec Abs(TVec a);

    static abstract TVec Max(TVec a, TVec b);

    /// <summary>
    /// The hardware's max (one <c>vmaxps</c>): the result is unspecified when either input is NaN, and −0/+0 are not
    /// ordered. <see cref="Max"/> pins both down with about eight more instructions per call, which made a reading loop
    /// four times slower; use this where NaN is handled apart.
    /// </summary>
    static abstract TVec MaxNative(TVec a, TVec b);

    /// <summary>
    /// A bit per lane, set where <paramref name="a"/> is exactly zero (lane i is bit i). Counting the bits of a few
    /// vectors at once with one <c>popcnt</c> keeps the count on the integer units, off the vector pipes that the
    /// loop's sums and maxima already fill.
    /// </summary>
    static abstract ulong ZeroBits(TVec a);

    static abstract float Sum(TVec a);

    static abstract float MaxAcross(TVec a);
}

/// <summary>512-bit lanes (16 floats): the fast path on the AVX-512 build machines.</summary>
internal readonly struct Simd512 : ISimdOps<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(ref float source, int index) => Vector512.LoadUnsafe(ref source, (nuint)index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, ref float destination, int index) => value.StoreUnsafe(ref destination, (nuint)index);
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;
    public static Vector512<float> Divide(Vector512<float> a, Vector512<float> b) => a / b;
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    public static Vector512<float> Sqrt(Vector512<float> a) => Vector512.Sqrt(a);
    public static Vector512<float> Abs(Vector512<float> a) => Vector512.Abs(a);
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);
    public static Vector512<float> MaxNative(Vector512<float> a, Vector512<float> b) => Vector512.MaxNative(a, b);
    public static ulong ZeroBits(Vector512<float> a) => Vector512.Equals(a, Vector512<float>.Zero).ExtractMostSignificantBits();
    public static float Sum(Vector512<float> a) => Vector512.Sum(a);
    public static float MaxAcross(Vector512<float> a) => Simd256.MaxAcross(Vector256.Max(a.GetLower(), a.GetUpper()));
}

/// <summary>256-bit lanes (8 floats): the fallback where AVX-512 is missing.</summary>
internal readonly struct Simd256 : ISimdOps<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(ref float source, int index) => Vector256.LoadUnsafe(ref source, (nuint)index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, ref float destination, int index) => value.StoreUnsafe(ref destination, (nuint)index);
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    public static Vector256<float> Divide(Vector256<float> a, Vector256<float> b) => a / b;
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    public static Vector256<float> Sqrt(Vector256<float> a) => Vector256.Sqrt(a);
    public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);
    public static Vector256<float> MaxNative(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);
    public static ulong ZeroBits(Vector256<float> a) => Vector256.Equals(a, Vector256<float>.Zero).ExtractMostSignificantBits();
    public static float Sum(Vector256<float> a) => Vector256.Sum(a);

    public static float MaxAcross(Vector256<float> a)
    {
        Vector128<float> m = Vector128.Max(a.GetLower(), a.GetUpper());
        return System.MathF.Max(System.MathF.Max(m[0], m[1]), System.MathF.Max(m[2], m[3]));
    }
}

/// <summary>One float at a time: the tail after the vector loop, and the whole loop on hardware without SIMD.</summary>
internal readonly struct SimdScalar : ISimdOps<float>
{
    public static int Count => 1;
    public static float Zero => 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(ref float source, int index) => Unsafe.Add(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float value, ref float destination, int index) => Unsafe.Add(ref destination, index) = value;
    public static float Broadcast(float value) => value;
    public static float Add(float a, float b) => a + b;
    public static float Subtract(float a, float b) => a - b;
    public static float Multiply(float a, float b) => a * b;
    public static float Divide(float a, float b) => a / b;
    public static float MultiplyAdd(float a, float b, float c) => System.MathF.FusedMultiplyAdd(a, b, c);
    public static float Sqrt(float a) => System.MathF.Sqrt(a);
    public static float Abs(float a) => System.MathF.Abs(a);
    public static float Max(float a, float b) => System.MathF.Max(a, b);
    public static float MaxNative(float a, float b) => a > b ? a : b;
    public static ulong ZeroBits(float a) => a == 0f ? 1ul : 0ul;
    public static float Sum(float a) => a;
    public static float MaxAcross(float a) => a;
}
