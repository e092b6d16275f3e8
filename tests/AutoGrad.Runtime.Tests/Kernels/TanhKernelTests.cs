using System;
using System.Linq;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Runtime.Tests.Kernels;

/// <summary>Our tanh approximation against Math.Tanh, across widths, and its saturation count.</summary>
public class TanhKernelTests
{
    /// <summary>Widths as ints: <see cref="SimdWidth"/> is internal, and theory parameters must be public types.</summary>
    public static TheoryData<int> Widths => new() { (int)SimdWidth.V128, (int)SimdWidth.V256, (int)SimdWidth.V512 };

    /// <summary>Distance in units in the last place of the float nearest the exact value.</summary>
    private static double Ulps(float actual, double exact)
    {
        float nearest = (float)exact;
        double ulp = MathF.BitIncrement(MathF.Abs(nearest)) - MathF.Abs(nearest);
        return Math.Abs(actual - exact) / ulp;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void MatchesTanhWithinAFewUlps(int width)
    {
        // A dense sweep of [-12, 12] (every region of the approximation, the clamp and beyond) plus tiny values.
        const int n = 1 << 18;
        float[] x = Enumerable.Range(0, n).Select(i => (float)((i - n / 2) * (24.0 / n))).ToArray();
        x[1] = 1e-30f;
        x[2] = -3.9e-4f;
        x[3] = 4.1e-4f;
        float[] y = new float[n];

        TanhKernel.Apply(x, y, 0.99f, (SimdWidth)width);

        double worstInside = 0, worstOutside = 0;
        for (int i = 0; i < n; i++)
        {
            double exact = Math.Tanh(x[i]);
            if (Math.Abs(x[i]) < 1)
            {
                worstInside = Math.Max(worstInside, Ulps(y[i], exact));
            }
            else
            {
                worstOutside = Math.Max(worstOutside, Math.Abs(y[i] - exact));
            }
            Assert.True(Math.Abs(y[i]) <= 1f, $"|tanh({x[i]})| = {y[i]} exceeds 1");
        }
        Assert.True(worstInside <= 3, $"worst error for |x| < 1: {worstInside:F2} ulp");
        Assert.True(worstOutside <= 3e-7, $"worst error for |x| >= 1: {worstOutside:E2}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void EveryWidthAndTheTailGiveTheSameBits(int width)
    {
        // 87 values: groups of four vectors, then single vectors, then a scalar tail, at every width.
        float[] x = Enumerable.Range(0, 87).Select(i => MathF.Sin(i * 0.37f) * (i % 9)).ToArray();
        float[] y = new float[x.Length];

        TanhKernel.Apply(x, y, 0.99f, (SimdWidth)width);

        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(TanhKernel.Compute(x[i]), y[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NaNStaysNaNAndInfinitiesSaturate(int width)
    {
        float[] x = Enumerable.Repeat(0.5f, 40).ToArray();
        x[0] = float.NaN;
        x[17] = float.PositiveInfinity;
        x[33] = float.NegativeInfinity;
        x[39] = float.NaN; // in the scalar tail at every width
        float[] y = new float[x.Length];

        long saturated = TanhKernel.Apply(x, y, 0.99f, (SimdWidth)width);

        Assert.True(float.IsNaN(y[0]) && float.IsNaN(y[39]));
        Assert.True(y[17] > 0.9999998f && y[33] < -0.9999998f);
        Assert.Equal(MathF.Tanh(0.5f), y[1], 6);
        Assert.Equal(2, saturated); // NaN is not counted as saturated
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void CountsSaturatedOutputsLikeAPlainLoop(int width)
    {
        var rng = new Random(7);
        float[] x = Enumerable.Range(0, 1001).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray();
        float[] y = new float[x.Length];

        long saturated = TanhKernel.Apply(x, y, 0.99f, (SimdWidth)width);

        Assert.Equal(y.Count(v => MathF.Abs(v) > 0.99f), saturated);
        Assert.InRange(saturated, 300, 700); // |x| > 2.65 for about half of U(-5, 5)
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void WithoutAProbeItCountsNothingAndGivesTheSameBits(int width)
    {
        var rng = new Random(8);
        float[] x = Enumerable.Range(0, 1001).Select(_ => (float)(rng.NextDouble() * 10 - 5)).ToArray();
        float[] counted = new float[x.Length], uncounted = new float[x.Length];

        long saturated = TanhKernel.Apply(x, counted, 0.99f, (SimdWidth)width);
        long none = TanhKernel.Apply(x, uncounted, 0.99f, (SimdWidth)width, count: false);

        Assert.True(saturated > 0);
        Assert.Equal(0, none);
        Assert.Equal(counted, uncounted);
    }
}
