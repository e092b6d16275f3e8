using System;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>Two methods that call each other: each pullback reruns its callee's forward sweep and reverses it.</summary>
public static partial class MutualRecursion
{
    [Differentiable]
    public static double Even(double x, int n) => n == 0 ? x * x : Odd(x, n - 1) * 1.5;

    [Differentiable]
    public static double Odd(double x, int n) => n == 0 ? Math.Sin(x) : Even(x, n - 1) + x;
}

public class MutualRecursionTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void GradientMatchesFiniteDifferences(int depth)
    {
        const double x = 0.7, h = 1e-6;

        double value = MutualRecursion.EvenGradient(x, depth, out double gradient);

        Assert.Equal(MutualRecursion.Even(x, depth), value);
        double numeric = (MutualRecursion.Even(x + h, depth) - MutualRecursion.Even(x - h, depth)) / (2 * h);
        Assert.True(Math.Abs(numeric - gradient) < 1e-7, $"depth {depth}: generated {gradient}, finite difference {numeric}");
    }
}
