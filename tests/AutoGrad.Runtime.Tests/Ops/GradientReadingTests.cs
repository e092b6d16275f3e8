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
    public void AWeightGradientTooSmallToSquareInFloatReadsItsTrueNorm()
    {
        // Inputs and adjoints near 1e-13 make |dW| near 1e-25: squared in float lanes they underflow to zero, so the
        // reading must not be recorded as it is.
        Tensor x = TestRandom.Tensor(1, 1e-13f, 40, 50), w = TestRandom.Tensor(2, 0.3f, 70, 50), b = TestRandom.Tensor(3, 70);
        Tensor? y = null;
        Nn.LinearInto(ref y, x, w, b, Site);
        Tensor dY = TestRandom.Tensor(4, 1e-13f, 40, 70);
        Tensor dW = Tensor.Zeros(70, 50);
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearPullback(x, w, b, y!, dY, GradTarget.None, GradTarget.Overwrite(dW), GradTarget.None, Site,
            default, new GradientReading(probes, 1));

        double l2 = Math.Sqrt(dW.ToArray().Sum(v => (double)v * v));
        Assert.InRange(l2, 1e-25, 1e-20);
        Assert.Equal(l2, probes.L2(1), l2 * 1e-5);
        Assert.Equal(dW.ToArray().Max(MathF.Abs), (float)probes.MaxAbs(1));
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

    [Theory]
    [InlineData(FusedActivation.Tanh, 32, 64)] // whole vectors at every width
    [InlineData(FusedActivation.Relu, 3, 13)]  // 39 values: a tail at every width
    [InlineData(FusedActivation.Sigmoid, 5, 7)]
    public void LinearActivationPullbackReadsTheAdjointItConsumes(FusedActivation activation, int batch, int outputs)
    {
        const int inputs = 9;
        Tensor x = TestRandom.Tensor(1, batch, inputs), w = TestRandom.Tensor(2, 0.3f, outputs, inputs), b = TestRandom.Tensor(3, outputs);
        Tensor? y = null;
        Nn.LinearActivationInto(ref y, x, w, b, activation, Site);
        Tensor dY = TestRandom.Tensor(4, batch, outputs);
        dY[1] = 0f; // zeros in the vector part and in the last (tail) value must be counted
        dY[batch * outputs - 1] = -0f;
        dY[2] = 7.5f; // the largest |dY|, negative in the next case
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearActivationPullback(x, w, b, activation, y!, dY, GradTarget.Overwrite(Tensor.Zeros(batch, inputs)),
            GradTarget.Overwrite(Tensor.Zeros(outputs, inputs)), GradTarget.None, Site, dResultReading: new GradientReading(probes, 0));

        float[] g = dY.ToArray();
        double l2 = Math.Sqrt(g.Sum(v => (double)v * v));
        Assert.True(Math.Abs(probes.L2(0) - l2) <= 1e-6 * l2, $"L2 {probes.L2(0)}, expected {l2}");
        Assert.Equal(7.5f, probes.MaxAbs(0));
        Assert.Equal(2, probes.ZeroCount(0));
        Assert.Equal(g.Length, probes.Count(0));
        Assert.Equal(0, probes.NonFiniteCount(1) + probes.Count(1)); // nothing else was read
    }

    /// <summary>
    /// At batch 1 the weight gradient is an outer product, read (and its zeros counted) as it is written: the probes
    /// record its norm, maximum and zero count exactly, without a pass of their own, for dead units and zero inputs.
    /// </summary>
    [Fact]
    public void ABatchOneWeightGradientIsReadWithItsZerosCounted()
    {
        const int inputs = 37, outputs = 40; // 1,480 values: read by the outer product itself
        Tensor x = TestRandom.Tensor(1, 1, inputs), w = TestRandom.Tensor(2, 0.3f, outputs, inputs), b = TestRandom.Tensor(3, outputs);
        x[4] = 0f; // an input that is 0: a zero column of dW
        Tensor? y = null;
        Nn.LinearInto(ref y, x, w, b, Site);
        Tensor dY = TestRandom.Tensor(4, 1, outputs);
        dY[3] = 0f; // a unit with no gradient: a zero row of dW
        dY[7] = 0f;
        Tensor dW = Tensor.Zeros(outputs, inputs);
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearPullback(x, w, b, y!, dY, GradTarget.None, GradTarget.Overwrite(dW), GradTarget.None, Site,
            default, new GradientReading(probes, 1));

        float[] g = dW.ToArray();
        Assert.Equal(g.LongCount(v => v == 0f), probes.ZeroCount(1));
        Assert.Equal(2 * inputs + outputs - 2, probes.ZeroCount(1));
        Assert.Equal(Math.Sqrt(g.Sum(v => (double)v * v)), probes.L2(1), 5);
        Assert.Equal(g.Max(Math.Abs), probes.MaxAbs(1));
        Assert.Equal(g.Length, probes.Count(1));
    }

    [Theory]
    [InlineData(FusedActivation.Tanh, 32, 64)] // summed in the activation pass (whole vectors of outputs)
    [InlineData(FusedActivation.Relu, 3, 13)]  // summed by the weight-gradient product
    public void LinearActivationPullbackReadsTheBiasGradientWhereverItIsSummed(FusedActivation activation, int batch, int outputs)
    {
        const int inputs = 9;
        Tensor x = TestRandom.Tensor(1, batch, inputs), w = TestRandom.Tensor(2, 0.3f, outputs, inputs), b = TestRandom.Tensor(3, outputs);
        Tensor? y = null;
        Nn.LinearActivationInto(ref y, x, w, b, activation, Site);
        Tensor dY = TestRandom.Tensor(4, batch, outputs), dB = Tensor.Zeros(outputs), dZ = Tensor.Zeros(batch, outputs);
        GradientProbes probes = Probes();
        probes.Begin();

        Nn.LinearActivationPullback(x, w, b, activation, y!, dY, GradTarget.None,
            GradTarget.Overwrite(Tensor.Zeros(outputs, inputs)), GradTarget.Overwrite(dB), Site, dBReading: new GradientReading(probes, 1));

        // The bias gradient is Σ_batch dZ, dZ = dY ⊙ activation'(y), computed here independently in double.
        float[] yv = y!.ToArray(), dy = dY.ToArray();
        double[] expected = new double[outputs];
        for (int i = 0; i < batch * outputs; i++)
        {
            double derivative = activation == FusedActivation.Tanh ? 1 - (double)yv[i] * yv[i] : yv[i] > 0 ? 1 : 0;
            expected[i % outputs] += dy[i] * derivative;
        }
        float[] got = dB.ToArray();
        for (int j = 0; j < outputs; j++)
        {
            Assert.Equal(expected[j], got[j], 1e-5);
        }
        double l2 = Math.Sqrt(got.Sum(v => (double)v * v));
        Assert.True(Math.Abs(probes.L2(1) - l2) <= 1e-6 * l2, $"L2 {probes.L2(1)}, expected {l2}");
        Assert.Equal(got.Max(Math.Abs), probes.MaxAbs(1));
        Assert.Equal(outputs, probes.Count(1));
        Assert.Equal(0, probes.Count(0)); // the adjoint was not asked for
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public unsafe void TheActivationGradientPassReadsItsFirstInputAtEveryWidth(int width)
    {
        foreach (int n in new[] { 3, 16, 37, 64, 100 })
        {
            float[] dy = TestRandom.Tensor(n, n).ToArray(), y = TestRandom.Tensor(n + 1, n).ToArray();
            dy[n / 2] = -(n + 1f); // max|dy|, in the vector part or the tail depending on n
            float[] fused = new float[n], plain = new float[n];
            var reading = new AutoGrad.Kernels.KernelReading();

            AutoGrad.Kernels.Elementwise.Map(new AutoGrad.Kernels.TanhGradient(), dy, y, fused, false, &reading, (AutoGrad.Kernels.SimdWidth)width);

            AutoGrad.Kernels.Elementwise.Map(new AutoGrad.Kernels.TanhGradient(), dy, y, plain, false, (AutoGrad.Kernels.SimdWidth)width);
            Assert.Equal(plain, fused);
            (double sum, float max, float min) = reading.Totals();
            double expected = dy.Sum(v => (double)v * v);
            Assert.True(Math.Abs(sum - expected) <= 1e-6 * expected, $"n = {n}: Σ {sum}, expected {expected}");
            Assert.Equal(n + 1f, max);
            Assert.Equal(dy.Min(MathF.Abs), min);
        }
    }
}
