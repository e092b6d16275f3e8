using System;
using System.Linq;
using AutoGrad.Kernels;
using AutoGrad.Optim.Kernels;
using AutoGrad.Probes;
using Xunit;

namespace AutoGrad.Health.Tests;

public class KernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void EveryLaneWidthComputesTheSameAdamStep(int maxBits)
    {
        const int n = 16 * 4 + 3;
        float[] w = Enumerable.Range(0, n).Select(i => MathF.Sin(i)).ToArray();
        float[] g = Enumerable.Range(0, n).Select(i => MathF.Cos(3 * i)).ToArray();
        float[] reference = (float[])w.Clone();
        var scalar = NewAdam(reference, g);
        SimdDispatch.Run(ref scalar, n, maxBits: 0);
        var kernel = NewAdam(w, g);

        SimdDispatch.Run(ref kernel, n, maxBits);

        for (int i = 0; i < n; i++) Assert.Equal(reference[i], w[i], 5);
        Assert.Equal(scalar.Norms.Ratio, kernel.Norms.Ratio, 5);
    }

    private static AdamKernel NewAdam(float[] w, float[] g) => new()
    {
        Weights = w,
        Gradients = g,
        FirstMoment = new float[w.Length],
        SecondMoment = new float[w.Length],
        LearningRate = 0.01f,
        Beta1 = 0.9f,
        Beta2 = 0.999f,
        Epsilon = 1e-8f,
        L2 = 0.01f,
        DecoupledDecay = 0.02f,
        BiasCorrection1 = 0.1f,
        BiasCorrection2 = 0.001f,
    };

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ProbeReadingCountsZerosAndSquaresOnEveryPath(int maxBits)
    {
        float[] x = Enumerable.Range(0, 61).Select(i => i % 5 == 0 ? 0f : (i % 2 == 0 ? -0.5f : 2f)).ToArray();
        var kernel = new ProbeReadingKernel { Values = x };

        SimdDispatch.Run(ref kernel, x.Length, maxBits);

        Assert.Equal(x.Count(v => v == 0), kernel.Zeros);
        Assert.Equal(x.Sum(v => (double)v * v), kernel.SumOfSquares, 4);
        Assert.Equal(2f, kernel.MaxAbs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(512)]
    public void ProbeReadingIsExactAcrossUnrolledBodiesAndTails(int maxBits)
    {
        // Lengths that end inside the four-vector body, in the one-vector loop and in the scalar tail of each width.
        foreach (int n in new[] { 1, 7, 31, 32, 33, 63, 64, 65, 100, 129, 1000 })
        {
            float[] x = Enumerable.Range(0, n).Select(i => i % 7 == 3 ? 0f : MathF.Sin(i) * (1 + i % 5)).ToArray();
            x[n / 2] = n % 2 == 0 ? 9f : -9f;
            var kernel = new ProbeReadingKernel { Values = x };

            SimdDispatch.Run(ref kernel, x.Length, maxBits);

            Assert.Equal(x.Count(v => v == 0), kernel.Zeros);
            double expected = x.Sum(v => (double)v * v);
            // Lanes sum in float: allow float rounding over n terms, nothing like a missing or doubled element.
            Assert.True(Math.Abs(expected - kernel.SumOfSquares) <= 1e-5 * expected, $"n = {n}: Σx² {kernel.SumOfSquares}, expected {expected}");
            Assert.Equal(9f, kernel.MaxAbs);
        }
    }

    [Fact]
    public void ReadingsOfSpansLongerThanOneKernelRunAddUp()
    {
        // Longer spans are read in pieces so that float lane counts stay exact; the pieces must add up.
        int n = ProbeReadingKernel.MaxLength + 37;
        float[] g = new float[n];
        for (int i = 0; i < n; i += 2) g[i] = 0.5f;
        float[] y = new float[n];
        for (int i = 0; i < n; i += 4) y[i] = 0.999f;
        var probes = new GradientProbes(Synthetic.Stack(1, "tanh"));
        probes.Begin();

        probes.RecordGradient(Synthetic.Weight(0), g);
        probes.RecordActivation(Synthetic.Activation(0), y, 1, ActivationKind.Tanh);

        Assert.Equal(n / 2, probes.ZeroCount(Synthetic.Weight(0)));
        Assert.Equal(Math.Sqrt(0.25 * ((n + 1) / 2)), probes.L2(Synthetic.Weight(0)), 3);
        Assert.Equal((double)((n + 3) / 4) / n, probes.FlaggedFraction(Synthetic.Activation(0)), 12);
    }

    /// <summary>
    /// Review helper-84: the update kernels summed squares in float lanes over the whole tensor, so a long parameter's
    /// ‖ΔW‖/‖W‖ drifted (40M weights: 1.3% with 512-bit lanes, 38% one float at a time, whose sum stops growing).
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(128)]
    [InlineData(512)]
    public void ALongParametersUpdateRatioKeepsItsPrecision(int maxBits)
    {
        const int n = 1 << 22;
        float[] w = new float[n], g = new float[n];
        w.AsSpan().Fill(1.1f);
        g.AsSpan().Fill(1f);
        var kernel = new SgdKernel { Weights = w, Gradients = g, LearningRate = 1e-3f };

        SimdDispatch.Run(ref kernel, n, maxBits);

        // Every weight becomes the float nearest 1.1 - 0.001; the ratio is |Δ|/|w| per element (w before the step), exactly.
        double next = w[0], delta = next - 1.1f;
        Assert.All(new[] { w[1], w[n / 2], w[n - 1] }, v => Assert.Equal(next, v));
        double expected = Math.Abs(delta) / 1.1f;
        double relative = Math.Abs(kernel.Norms.Ratio - expected) / expected;
        Assert.True(relative < 1e-3, $"ratio {kernel.Norms.Ratio}, expected {expected}: {relative:P3} off");
    }

    [Theory]
    [InlineData(float.PositiveInfinity, 1f, 1f)]  // an infinite weight
    [InlineData(0f, 1f, 0.1f)]                     // a step from weights all zero
    public void AStepWithoutARatioReadsNaNNotZero(float weight, float gradient, float learningRate)
    {
        float[] w = { weight, 0.1f, 0.1f }, g = { gradient, gradient, gradient };
        if (weight == 0) w[1] = w[2] = 0;
        var kernel = new SgdKernel { Weights = w, Gradients = g, LearningRate = learningRate };

        SimdDispatch.Run(ref kernel, w.Length);

        Assert.True(double.IsNaN(kernel.Norms.Ratio), kernel.Norms.Ratio.ToString());
    }

    [Fact]
    public void WeightsThatStayZeroReadNoUpdate()
    {
        var kernel = new SgdKernel { Weights = new float[5], Gradients = new float[5], LearningRate = 0.1f };
        SimdDispatch.Run(ref kernel, 5);
        Assert.Equal(0, kernel.Norms.Ratio);
    }

    [Fact]
    public void ProbesExposeTheZeroFractionAndKeepNonFiniteCounting()
    {
        var layout = Synthetic.Stack(1, "relu");
        var probes = new GradientProbes(layout);
        probes.Begin();
        probes.RecordGradient(0, new float[] { 0, 0, 3, 4 });
        probes.RecordGradient(1, new float[] { float.NaN, 0, 3, 4 });

        Assert.Equal(0.5, probes.ZeroFraction(0));
        Assert.Equal(5, probes.L2(0), 6);
        Assert.Equal(4, probes.MaxAbs(0));
        Assert.Equal(1, probes.NonFiniteCount(1));
        Assert.Equal(5, probes.L2(1), 6);
        Assert.Equal(0.25, probes.ZeroFraction(1));
    }

    [Theory]
    [InlineData("Sigmoid", ActivationKind.Sigmoid)]
    [InlineData("logistic", ActivationKind.Sigmoid)]
    [InlineData("Tanh", ActivationKind.Tanh)]
    [InlineData("Leaky_ReLU", ActivationKind.Relu)]
    [InlineData("GELU", ActivationKind.Relu)]
    [InlineData("Softmax", ActivationKind.None)]
    [InlineData("", ActivationKind.None)]
    public void ActivationNamesMapToFamilies(string name, ActivationKind expected) =>
        Assert.Equal(expected, ProbeSiteExtensions.ParseActivation(name));
}
