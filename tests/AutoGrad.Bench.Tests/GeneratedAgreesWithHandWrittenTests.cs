using System;
using AutoGrad.Benchmarks.Objectives;
using Xunit;

namespace AutoGrad.Bench.Tests;

/// <summary>
/// The generated gradients of the benchmark objectives against the hand-written ones (themselves checked against
/// finite differences in the other tests): two independent computations of the same gradient.
/// </summary>
public sealed class GeneratedAgreesWithHandWrittenTests
{
    private static void AssertSame(double[] handWritten, double[] generated, string name)
    {
        for (int i = 0; i < handWritten.Length; i++)
        {
            double scale = Math.Max(1.0, Math.Abs(handWritten[i]));
            Assert.True(Math.Abs(handWritten[i] - generated[i]) <= 1e-9 * scale, $"{name}[{i}]: hand-written {handWritten[i]:R}, generated {generated[i]:R}");
        }
    }

    [Fact]
    public void Rosenbrock()
    {
        double[] x = RandomData.Uniform(new Random(41), 50, -1.5, 1.5);
        double[] byHand = new double[x.Length], generated = new double[x.Length];
        Assert.Equal(AutoGrad.Benchmarks.Objectives.Rosenbrock.ObjectiveGradientByHand(x, byHand), AutoGrad.Benchmarks.Objectives.Rosenbrock.ObjectiveGradient(x, generated), 10);
        AssertSame(byHand, generated, "dX");
    }

    [Fact]
    public void LogSumExp()
    {
        double[] x = RandomData.Uniform(new Random(42), 40, -5, 5);
        double[] byHand = new double[x.Length], generated = new double[x.Length];
        Assert.Equal(AutoGrad.Benchmarks.Objectives.LogSumExp.ObjectiveGradientByHand(x, byHand), AutoGrad.Benchmarks.Objectives.LogSumExp.ObjectiveGradient(x, generated), 12);
        AssertSame(byHand, generated, "dX");
    }

    [Theory]
    [InlineData(3, 4, 10)]
    [InlineData(5, 3, 7)]
    public void GaussianMixture(int d, int k, int n)
    {
        GaussianMixtureProblem p = GaussianMixtureProblem.Create(d, k, n, seed: 43);
        var hand = new[] { new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length] };
        var gen = new[] { new double[p.Alphas.Length], new double[p.Means.Length], new double[p.Icf.Length] };
        double a = AutoGrad.Benchmarks.Objectives.GaussianMixture.ObjectiveGradientByHand(p.Alphas, p.Means, p.Icf, p.X, 1.3, 2, d, k, n, hand[0], hand[1], hand[2]);
        double b = AutoGrad.Benchmarks.Objectives.GaussianMixture.ObjectiveGradient(p.Alphas, p.Means, p.Icf, p.X, 1.3, 2, d, k, n, gen[0], gen[1], gen[2]);
        Assert.Equal(a, b, 9);
        AssertSame(hand[0], gen[0], "dAlphas");
        AssertSame(hand[1], gen[1], "dMeans");
        AssertSame(hand[2], gen[2], "dIcf");
    }

    [Fact]
    public void Lstm()
    {
        const int L = 2, C = 7, B = 4;
        LstmProblem p = LstmProblem.Create(L, C, B, seed: 44);
        var hand = new[] { new double[p.MainParams.Length], new double[p.ExtraParams.Length] };
        var gen = new[] { new double[p.MainParams.Length], new double[p.ExtraParams.Length] };
        double a = AutoGrad.Benchmarks.Objectives.Lstm.ObjectiveGradientByHand(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B, hand[0], hand[1]);
        double b = AutoGrad.Benchmarks.Objectives.Lstm.ObjectiveGradient(p.MainParams, p.ExtraParams, p.State, p.Sequence, L, C, B, gen[0], gen[1]);
        Assert.Equal(a, b, 12);
        AssertSame(hand[0], gen[0], "dMainParams");
        AssertSame(hand[1], gen[1], "dExtraParams");
    }
}
