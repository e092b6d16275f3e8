using System;
using System.Linq;
using AutoGrad.Probes;
using AutoGrad.Runtime.Tests.Support;
using Xunit;

namespace AutoGrad.Runtime.Tests.Ops;

/// <summary>
/// Readings a pullback takes while it writes the gradients (the weight gradient in its GEMM's epilogue) against the
/// same numbers computed from the finished gradients.
/// </summary>
public class GradientReadingTests
{
    private static readonly OpSite Site = new("Linear", "Layer.cs", 4, "x", "w", "b");

    private static GradientProbes Probes() => new(new ProbeLayout("t", new[]
    {
        new ProbeSite("x", ProbeKind.Parameter, 0, "None", 0, "f", 1, false),
        new ProbeSite("w", ProbeKind.Parameter, 0, "None", 0, "f", 1, false),
        new ProbeSite("b", ProbeKind.Parameter, 0, "None", 0, "f", 1, false),
    }));

    [Theory]
    [InlineData(40, 50, 70, false)] // packed product with short and narrow edge tiles
    [InlineData(40, 50, 70, true)]  // accumulating into an earlier gradient
    [InlineData(1, 30, 20, false)]  // batch 1: the packing-free path, read in a pass afterwards
    [InlineData(64, 64, 64, false)] // whole tiles only
    public void LinearPullbackReadingsEqualTheGradientsNorms(int batch, int inputs, int outputs, bool accumulate)
    {
        Tensor x = TestRandom.Tensor(1, batch, inputs), w = TestRandom.Tensor(2, 0.3f, outputs, inputs), b = TestRandom.Tensor(3, outputs);
        // Zero input columns give the weight gradient zero columns: the reading must count them exactly.
        for (int r = 0; r < batch; r++)
        {
            x[r * inputs + 3] = 0f;
            x[r * inputs + inputs - 1] = 0f;
        }
        Tensor? y = null;
        Nn.LinearInto(ref y, x, w, b, Site);
        Tensor dY = TestRandom.Tensor(4, batch, outputs);
        Tensor dX = Tensor.Zeros(batch, inputs), dW = TestRandom.Tensor(5, outputs, inputs), dB = TestRandom.Tensor(6, outputs);
        GradTarget Target(Tensor t) => accumulate ? GradTarget.Accumulate(t) : GradTarget.Overwrite(t);
        if (accumulate)
        {
            dW[3] = -1f; // the zero columns are not zero after adding to this, except where we cancel it below
        }
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearPullback(x, w, b, y!, dY, GradTarget.Overwrite(dX), Target(dW), Target(dB), Site,
            new GradientReading(probes, 0), new GradientReading(probes, 1), new GradientReading(probes, 2));

        Tensor[] gradients = [dX, dW, dB];
        for (int site = 0; site < 3; site++)
        {
            float[] g = gradients[site].ToArray();
            double l2 = Math.Sqrt(g.Sum(v => (double)v * v));
            Assert.True(Math.Abs(probes.L2(site) - l2) <= 1e-5 * l2, $"site {site}: L2 {probes.L2(site)}, expected {l2}");
            Assert.Equal(g.Max(MathF.Abs), probes.MaxAbs(site), 6);
            Assert.Equal(g.Count(v => v == 0), probes.ZeroCount(site));
            Assert.Equal(g.Length, probes.Count(site));
        }
        if (!accumulate)
        {
            Assert.Equal(2 * outputs, probes.ZeroCount(1));
        }
    }

    [Fact]
    public void ANonFiniteWeightGradientIsCountedAndLeftOutOfTheNorm()
    {
        Tensor x = TestRandom.Tensor(1, 40, 50), w = TestRandom.Tensor(2, 0.3f, 70, 50), b = TestRandom.Tensor(3, 70);
        Tensor? y = null;
        Nn.LinearInto(ref y, x, w, b, Site);
        Tensor dY = TestRandom.Tensor(4, 40, 70);
        dY[5 * 70 + 9] = float.NaN; // one output row of dW (row 9) turns NaN
        Tensor dW = Tensor.Zeros(70, 50);
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearPullback(x, w, b, y!, dY, GradTarget.None, GradTarget.Overwrite(dW), GradTarget.None, Site,
            default, new GradientReading(probes, 1));

        float[] g = dW.ToArray();
        Assert.Equal(g.Count(v => !float.IsFinite(v)), probes.NonFiniteCount(1));
        Assert.Equal(50, probes.NonFiniteCount(1));
        double finiteL2 = Math.Sqrt(g.Where(float.IsFinite).Sum(v => (double)v * v));
        Assert.Equal(finiteL2, probes.L2(1), 4);
    }
}
