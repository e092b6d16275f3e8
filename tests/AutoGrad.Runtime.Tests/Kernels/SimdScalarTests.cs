using System;
using System.Runtime.Intrinsics;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>
/// <see cref="SimdScalar"/> finishes the tails of kernels whose vector part runs on <see cref="Simd512"/> or
/// <see cref="Simd256"/>, so each of its operations must give one lane's bits, or a kernel's result would depend on
/// where its vector part ends.
/// </summary>
public unsafe class SimdScalarTests
{
    // Signed zeros, infinities, a subnormal, NaN, and ordinary values of both signs (16 lanes).
    private static readonly float[] A =
        [0f, -0f, 1.5f, -2.25f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e-40f,
         3f, -3f, 7.5e-3f, -1e30f, 0.1f, 2f, -0.5f, 4f];

    private static readonly float[] B =
        [-0f, 0f, -1.5f, 3f, 1f, float.NaN, 2f, -1e-40f, 3f, 3f, -7.5e-3f, 1e30f, 0.3f, -2f, 0.25f, float.NaN];

    private static readonly float[] C =
        [1f, -1f, 0.5f, 0.75f, -2f, 3f, 1f, 0f, -3f, 2f, 1e-3f, 5f, 0.7f, 8f, -4f, 1f];

    [Fact]
    public void EveryOperationGivesTheBitsOfAVectorLane()
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            return; // the bench and CI machines have AVX-512; elsewhere Simd256 is compared by the kernels' own tests
        }
        Vector512<float> a = Vector512.Create(A), b = Vector512.Create(B), c = Vector512.Create(C);
        for (int i = 0; i < A.Length; i++)
        {
            float x = A[i], y = B[i], z = C[i];
            Same(Simd512.Add(a, b)[i], SimdScalar.Add(x, y), "Add", i);
            Same(Simd512.Subtract(a, b)[i], SimdScalar.Subtract(x, y), "Subtract", i);
            Same(Simd512.Multiply(a, b)[i], SimdScalar.Multiply(x, y), "Multiply", i);
            Same(Simd512.Divide(a, b)[i], SimdScalar.Divide(x, y), "Divide", i);
            Same(Simd512.MulAdd(a, b, c)[i], SimdScalar.MulAdd(x, y, z), "MulAdd", i);
            Same(Simd512.Abs(a)[i], SimdScalar.Abs(x), "Abs", i);
            Same(Simd512.Sqrt(a)[i], SimdScalar.Sqrt(x), "Sqrt", i);
            Same(Simd512.CopySign(a, b)[i], SimdScalar.CopySign(x, y), "CopySign", i);
            Same(Simd512.SelectLess(a, b, c, a)[i], SimdScalar.SelectLess(x, y, z, x), "SelectLess", i);
            Same(Simd512.MinNative(a, b)[i], SimdScalar.MinNative(x, y), "MinNative", i);
            Same(Simd512.MaxNative(a, b)[i], SimdScalar.MaxNative(x, y), "MaxNative", i);
            Same(Simd512.Max(a, b)[i], SimdScalar.Max(x, y), "Max", i);
            Assert.Equal((Simd512.GreaterBits(a, b) >> i) & 1, SimdScalar.GreaterBits(x, y));
            Assert.Equal((Simd512.ZeroBits(a) >> i) & 1, SimdScalar.ZeroBits(x));
            Vector512<float> magnitudes = Vector512.Abs(a), others = Vector512.Abs(b);
            Same(Simd512.MaxOfMagnitudes(magnitudes, others)[i], SimdScalar.MaxOfMagnitudes(MathF.Abs(x), MathF.Abs(y)), "MaxOfMagnitudes", i);
            Same(Simd512.MinOfMagnitudes(magnitudes, others)[i], SimdScalar.MinOfMagnitudes(MathF.Abs(x), MathF.Abs(y)), "MinOfMagnitudes", i);
            if (!float.IsNaN(x) && !float.IsNaN(y))
            {
                // Unspecified for NaN on both sides (vrangeps and max/abs treat it differently).
                Same(Simd512.MaxAbs(Vector512.Abs(c), b)[i], SimdScalar.MaxAbs(MathF.Abs(z), y), "MaxAbs", i);
                Same(Simd512.MinAbs(Vector512.Abs(c), b)[i], SimdScalar.MinAbs(MathF.Abs(z), y), "MinAbs", i);
                Same(Simd512.MaxOfAbs(a, b)[i], SimdScalar.MaxOfAbs(x, y), "MaxOfAbs", i);
                Same(Simd512.MinOfAbs(a, b)[i], SimdScalar.MinOfAbs(x, y), "MinOfAbs", i);
            }
        }
    }

    [Fact]
    public void LoadsAndStoresMoveOneFloat()
    {
        float source = -3.5f, destination = 0f;
        SimdScalar.Store(&destination, SimdScalar.Load(&source));
        Assert.Equal(-3.5f, destination);
        Assert.Equal(2f, SimdScalar.MaxAcross(2f));
        Assert.Equal(2f, SimdScalar.Sum(2f));
    }

    private static void Same(float vectorLane, float scalar, string operation, int lane) =>
        Assert.True(
            BitConverter.SingleToInt32Bits(vectorLane) == BitConverter.SingleToInt32Bits(scalar)
                || (float.IsNaN(vectorLane) && float.IsNaN(scalar)),
            $"{operation}, lane {lane} ({A[lane]}, {B[lane]}): vector {vectorLane:R}, scalar {scalar:R}");
}
