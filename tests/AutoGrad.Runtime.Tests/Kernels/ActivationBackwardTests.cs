using System;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>
/// The fused activation backward with its bias gradient against the two passes it replaces (the elementwise map, then
/// column sums): the same bits for dZ and the bias gradient, and the same reading of dY.
/// </summary>
public unsafe class ActivationBackwardTests
{
    public static TheoryData<int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int>();
        foreach (int width in new[] { (int)SimdWidth.V512, (int)SimdWidth.V256 })
        {
            foreach ((int rows, int cols) in new[] { (1, 16), (3, 48), (32, 64), (5, 80), (7, 128), (4, 10), (2, 33) })
            {
                data.Add(width, rows, cols);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FusedBiasGradientHasTheTwoPassBits(int widthIndex, int rows, int cols)
    {
        var width = (SimdWidth)widthIndex;
        Check(new TanhGradient(), width, rows, cols, seed: 1);
        Check(new SigmoidGradient(), width, rows, cols, seed: 2);
        Check(new ReluGradient(), width, rows, cols, seed: 3);
    }

    [Fact]
    public void FusesOnlyWholeVectorsOfColumnsAtFullWidth()
    {
        Assert.True(ActivationBackward.Fuses(64, SimdWidth.V512));
        Assert.True(ActivationBackward.Fuses(16, SimdWidth.V512));
        Assert.False(ActivationBackward.Fuses(10, SimdWidth.V512));
        Assert.False(ActivationBackward.Fuses(64, SimdWidth.V256));
        Assert.False(ActivationBackward.Fuses(0, SimdWidth.V512));
    }

    [Fact]
    public void MismatchedLengthsThrowBeforeWriting()
    {
        float[] dY = new float[64], y = new float[64], dZ = new float[63], bias = new float[16];
        var error = Assert.Throws<ArgumentException>(() =>
            ActivationBackward.Run(new TanhGradient(), dY, y, dZ, 4, 16, bias, false, null));
        Assert.Contains("4×16", error.Message);
    }

    private static void Check<TOp>(TOp op, SimdWidth width, int rows, int cols, int seed)
        where TOp : struct, IBinaryOp
    {
        int n = rows * cols;
        float[] dY = TestRandom.Floats(n, seed, 3f);
        float[] y = TestRandom.Floats(n, seed + 10);
        // Exact zeros, a NaN and a peak in dY, so the reading's min, max and non-finite sum are all exercised.
        dY[n / 2] = 0f;
        dY[n - 1] = 40f;
        float[] withNaN = (float[])dY.Clone();
        withNaN[0] = float.NaN;
        foreach (bool accumulate in new[] { false, true })
        {
            foreach (float[] input in new[] { dY, withNaN })
            {
                float[] start = TestRandom.Floats(cols, seed + 20);
                float[] expectedZ = new float[n], expectedBias = (float[])start.Clone();
                var expectedReading = new KernelReading();
                Elementwise.Map(op, input, y, expectedZ, accumulate: false, &expectedReading, width);
                Reductions.ColumnSums(expectedZ, rows, cols, expectedBias, accumulate);

                float[] dZ = new float[n], bias = (float[])start.Clone();
                var reading = new KernelReading();
                ActivationBackward.Run(op, input, y, dZ, rows, cols, bias, accumulate, &reading, width);
                Assert.Equal(expectedZ.Select(BitConverter.SingleToInt32Bits), dZ.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(expectedBias.Select(BitConverter.SingleToInt32Bits), bias.Select(BitConverter.SingleToInt32Bits));
                (double sum, float max, float min) = reading.Totals();
                (double expectedSum, float expectedMax, float expectedMin) = expectedReading.Totals();
                if (double.IsFinite(expectedSum))
                {
                    Assert.Equal(expectedSum, sum, expectedSum * 1e-6);
                    Assert.Equal(40f, max);
                    Assert.Equal(0f, min);
                    Assert.Equal(expectedMax, max);
                }
                else
                {
                    Assert.False(double.IsFinite(sum));
                }

                // Without a reading the fused loop writes the same values.
                float[] dZPlain = new float[n], biasPlain = (float[])start.Clone();
                ActivationBackward.Run(op, input, y, dZPlain, rows, cols, biasPlain, accumulate, null, width);
                Assert.Equal(dZ.Select(BitConverter.SingleToInt32Bits), dZPlain.Select(BitConverter.SingleToInt32Bits));
                Assert.Equal(bias.Select(BitConverter.SingleToInt32Bits), biasPlain.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }
}
