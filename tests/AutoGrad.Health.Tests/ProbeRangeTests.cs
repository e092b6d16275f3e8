using System;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>Probe norms keep their range: a vanishing gradient reads as its tiny norm, a huge finite one stays finite.</summary>
public class ProbeRangeTests
{
    private static GradientProbes Probes() => Synthetic.OneParameter();

    [Theory]
    [InlineData(1e-30f)]
    [InlineData(3e-25f)]
    [InlineData(1e-3f)]
    [InlineData(1e25f)]
    [InlineData(3e37f)]
    public void NormIsExactAcrossTheFloatRange(float scale)
    {
        var g = new float[37];
        double expected = 0;
        for (int i = 0; i < g.Length; i++)
        {
            g[i] = scale * (i % 5 - 2);
            expected += (double)g[i] * g[i];
        }
        GradientProbes probes = Probes();
        probes.RecordGradient(0, g);
        Assert.Equal(0, probes.NonFiniteCount(0));
        Assert.Equal(Math.Sqrt(expected), probes.L2(0), Math.Sqrt(expected) * 1e-6);
        Assert.Equal(2 * scale, probes.MaxAbs(0), 2 * scale * 1e-6);
    }

    /// <summary>
    /// Bias-sized gradients (whole vectors, up to 256 values) take a short path of their own: the same readings, the
    /// largest value in any lane, exact zeros counted, a non-finite value caught, underflowed squares summed again.
    /// </summary>
    [Theory]
    [InlineData(16, 1f)]
    [InlineData(64, 1f)]
    [InlineData(64, 1e-30f)]
    [InlineData(256, 3e37f)]
    [InlineData(272, 1f)]
    public void ShortGradientsReadLikeLongOnes(int length, float scale)
    {
        for (int peak = 0; peak < length; peak += 7)
        {
            var g = new float[length];
            double expected = 0;
            long zeros = 0;
            for (int i = 0; i < g.Length; i++)
            {
                g[i] = i == peak ? -3 * scale : scale * (i % 5 - 2);
                expected += (double)g[i] * g[i];
                zeros += g[i] == 0 ? 1 : 0;
            }
            GradientProbes probes = Probes();
            probes.RecordGradient(0, g);
            Assert.Equal(Math.Sqrt(expected), probes.L2(0), Math.Sqrt(expected) * 1e-6);
            Assert.Equal(3 * scale, probes.MaxAbs(0), 3 * scale * 1e-6);
            Assert.Equal(zeros, probes.ZeroCount(0));
            Assert.Equal(0, probes.NonFiniteCount(0));

            g[peak] = float.NaN;
            probes.Begin();
            probes.RecordGradient(0, g);
            Assert.Equal(1, probes.NonFiniteCount(0));
            Assert.Equal(Math.Sqrt(expected - 9.0 * scale * scale), probes.L2(0), Math.Sqrt(expected) * 1e-6);
        }
    }
}
