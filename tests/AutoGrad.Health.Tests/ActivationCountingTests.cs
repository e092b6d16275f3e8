using System;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>The SIMD activation counts against a plain loop, over widths that exercise vector bodies and tails.</summary>
public class ActivationCountingTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(4, 8)]
    [InlineData(5, 19)]
    [InlineData(32, 64)]
    [InlineData(2, 33)]
    [InlineData(3, 40)]
    [InlineData(1, 100)]
    public void SaturationAndDeadUnitsMatchAPlainCount(int rows, int width)
    {
        var rng = new Random(rows * 100 + width);
        var tanh = new float[rows * width];
        var sigmoid = new float[rows * width];
        var relu = new float[rows * width];
        for (int i = 0; i < tanh.Length; i++)
        {
            tanh[i] = (float)Math.Tanh(rng.NextDouble() * 8 - 4);
            sigmoid[i] = (float)(1 / (1 + Math.Exp(-(rng.NextDouble() * 12 - 6))));
            relu[i] = rng.NextDouble() < 0.8 ? 0f : (float)rng.NextDouble(); // many dead units
        }
        int saturatedTanh = 0, saturatedSigmoid = 0, dead = 0;
        foreach (float y in tanh) if (Math.Abs(y) > SaturationThresholds.TanhAbs) saturatedTanh++;
        foreach (float y in sigmoid) if (y < SaturationThresholds.SigmoidLow || y > SaturationThresholds.SigmoidHigh) saturatedSigmoid++;
        for (int j = 0; j < width; j++)
        {
            bool alive = false;
            for (int r = 0; r < rows; r++) alive |= relu[r * width + j] > 0;
            if (!alive) dead++;
        }

        var layout = new ProbeLayout("t", new[]
        {
            new ProbeSite("a", ProbeKind.Activation, 0, "Tanh", 0, "f", 1, false),
            new ProbeSite("b", ProbeKind.Activation, 0, "Sigmoid", 0, "f", 1, false),
            new ProbeSite("c", ProbeKind.Activation, 0, "Relu", 0, "f", 1, false),
        });
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordActivation(0, tanh, rows, ActivationKind.Tanh);
        probes.RecordActivation(1, sigmoid, rows, ActivationKind.Sigmoid);
        probes.RecordActivation(2, relu, rows, ActivationKind.Relu);
        Assert.Equal((double)saturatedTanh / tanh.Length, probes.FlaggedFraction(0), 12);
        Assert.Equal((double)saturatedSigmoid / sigmoid.Length, probes.FlaggedFraction(1), 12);
        Assert.Equal((double)dead / width, probes.FlaggedFraction(2), 12);
    }
}
