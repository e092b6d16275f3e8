using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// One float per lane: the tail a vector loop leaves (see <see cref="SimdDispatch"/>) and the whole loop where no
/// vector width is accelerated. Each operation gives the bits one lane of <see cref="Simd512"/> gives, so a kernel's
/// result does not depend on where the vector part ends. <see cref="MulAdd"/> is fused exactly where the vectors'
/// is: on hardware without FMA both round twice (a fused scalar there had put tanh's tail an ulp off its vectors).
/// </summary>
internal readonly unsafe struct SimdScalar : ISimd<float>
{
    public static int Count => 1;

    public static float Zero => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* p) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* p, float v) => *p = v;

    public static float Splat(float value) => value;

    public static float MulAdd(float a, float b, float c) => float.MultiplyAddEstimate(a, b, c);

    public static float Add(float a, float b) => a + b;

    public static float Multiply(float a, float b) => a * b;

    public static float Subtract(float a, float b) => a - b;

    public static float Divide(float a, float b) => a / b;

    public static float Abs(float v) => MathF.Abs(v);

    public static float Sqrt(float v) => MathF.Sqrt(v);

    public static float CopySign(float value, float sign) => MathF.CopySign(value, sign);

    public static float SelectLess(float a, float b, float ifLess, float otherwise) => a < b ? ifLess : otherwise;

    public static float Sum(float v) => v;

    public static float MaxAcross(float v) => v;

    // vminps/vmaxps return their second operand when the comparison fails, NaN included.
    public static float MinNative(float a, float b) => a < b ? a : b;

    public static float MaxNative(float a, float b) => a > b ? a : b;

    public static float Max(float a, float b) => MathF.Max(a, b);

    public static ulong GreaterBits(float a, float b) => a > b ? 1ul : 0ul;

    /// <summary>One lane of the vectors' exp (MathF.Exp may differ from it in the last bit).</summary>
    public static float Exp(float v) => Vector128.Exp(Vector128.CreateScalarUnsafe(v)).ToScalar();

    public static ulong ZeroBits(float a) => a == 0f ? 1ul : 0ul;

    public static float MaxAbs(float m, float v) => MaxNative(m, MathF.Abs(v));

    public static float MinAbs(float m, float v) => MinNative(m, MathF.Abs(v));

    public static float MaxOfAbs(float a, float b) => MaxNative(MathF.Abs(a), MathF.Abs(b));

    public static float MinOfAbs(float a, float b) => MinNative(MathF.Abs(a), MathF.Abs(b));

    public static float MaxOfMagnitudes(float a, float b) =>
        BitConverter.UInt32BitsToSingle(Math.Max(BitConverter.SingleToUInt32Bits(a), BitConverter.SingleToUInt32Bits(b)));

    public static float MinOfMagnitudes(float a, float b) =>
        BitConverter.UInt32BitsToSingle(Math.Min(BitConverter.SingleToUInt32Bits(a), BitConverter.SingleToUInt32Bits(b)));
}
