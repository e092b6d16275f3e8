using System;
using System.Numerics.Tensors;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// A softmax row of at most one vector runs in one register; it must give exactly the bits of the general path's
/// TensorPrimitives calls (written out here), or every loss over a 10-class output would move in its last bits.
/// </summary>
public class ShortRowSoftmaxTests
{
    /// <summary>The general path: shift by the max, clamp (at −80 for the cross-entropy), exp, sum, scale.</summary>
    private static float Reference(float[] x, float[] p, float lowestExponent = -80f)
    {
        float max = TensorPrimitives.Max(x);
        if (float.IsInfinity(max))
        {
            max = 0f;
        }
        TensorPrimitives.Subtract(x, max, p);
        TensorPrimitives.Max(p, lowestExponent, p);
        TensorPrimitives.Exp(p, p);
        float sum = TensorPrimitives.Sum(p);
        TensorPrimitives.Multiply(p, 1f / sum, p);
        return max + MathF.Log(sum);
    }

    [Fact]
    public void EveryShortWidthGivesTheGeneralPathsBits()
    {
        var random = new Random(7);
        for (int width = 1; width <= 17; width++)
        {
            for (int trial = 0; trial < 2000; trial++)
            {
                float scale = trial % 4 switch { 0 => 1e-3f, 1 => 1f, 2 => 30f, _ => 300f };
                float[] x = new float[width];
                for (int i = 0; i < width; i++)
                {
                    x[i] = (float)(random.NextDouble() * 2 - 1) * scale;
                }
                AssertSameBits(x, $"width {width}, trial {trial}");
            }
        }
    }

    [Theory]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    [InlineData(float.NaN)]
    [InlineData(1e30f)]
    public void SpecialValuesGiveTheGeneralPathsBits(float special)
    {
        for (int width = 1; width <= 16; width++)
        {
            for (int at = 0; at < width; at++)
            {
                float[] x = new float[width];
                for (int i = 0; i < width; i++)
                {
                    x[i] = i * 0.25f - 1f;
                }
                x[at] = special;
                AssertSameBits(x, $"width {width}, {special} at {at}");
            }
        }
    }

    [Fact]
    public void ValuesPastTheRowAreLeftAlone()
    {
        float[] buffer = new float[16];
        Array.Fill(buffer, 42f);
        float[] x = [0.5f, -1f, 2f, 0.25f, 1f, -3f, 0f, 1.5f, -0.5f, 3f];

        Nn.RowSoftmax(x, buffer.AsSpan(0, x.Length));

        for (int i = x.Length; i < buffer.Length; i++)
        {
            Assert.Equal(42f, buffer[i]);
        }
    }

    private static void AssertSameBits(float[] x, string what)
    {
        // The cross-entropy's clamp at −80, and Softmax's none.
        foreach (float lowest in new[] { -80f, float.NegativeInfinity })
        {
            float[] expected = new float[x.Length], actual = new float[x.Length];
            float expectedLogSum = Reference(x, expected, lowest);
            float actualLogSum = Nn.RowSoftmax(x, actual, lowest);
            Assert.True(BitConverter.SingleToInt32Bits(expectedLogSum) == BitConverter.SingleToInt32Bits(actualLogSum),
                $"{what}, lowest exponent {lowest}: log-sum {actualLogSum} against {expectedLogSum}");
            for (int i = 0; i < x.Length; i++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                    $"{what}, lowest exponent {lowest}: p[{i}] = {actual[i]} against {expected[i]}");
            }
        }
    }
}
