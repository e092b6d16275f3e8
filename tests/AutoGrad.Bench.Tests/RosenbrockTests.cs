using System;
using AutoGrad.Benchmarks.Objectives;
using Xunit;

namespace AutoGrad.Bench.Tests;

public sealed class RosenbrockTests
{
    [Fact]
    public void ValueIsZeroAtTheMinimumAndOneTermPerPairAtTheOrigin()
    {
        Assert.Equal(0.0, Rosenbrock.Objective([1.0, 1.0, 1.0, 1.0, 1.0]));
        Assert.Equal(4.0, Rosenbrock.Objective(new double[5]));
    }

    [Fact]
    public void ValueAndGradientMatchTheClassicalStartingPoint()
    {
        // At (−1.2, 1): f = 2.2² + 100·0.44² = 24.2 and ∇f = (−215.6, −88), the textbook numbers.
        double[] x = [-1.2, 1.0];
        double[] g = FiniteDifferences.Poisoned(2);
        double value = Rosenbrock.ObjectiveGradientByHand(x, g);
        Assert.Equal(24.2, value, 12);
        Assert.Equal(24.2, Rosenbrock.Objective(x), 12);
        Assert.Equal(-215.6, g[0], 10);
        Assert.Equal(-88.0, g[1], 10);
    }

    [Fact]
    public void HandWrittenGradientMatchesFiniteDifferences()
    {
        FiniteDifferences.AssertVectorGradient(
            x => Rosenbrock.Objective(x), Rosenbrock.ObjectiveGradientByHand, RandomData.Uniform(new Random(11), 7, -1.5, 1.5));
    }

    [Fact]
    public void SinglePointHasZeroGradientAndEmptyInputIsAllowed()
    {
        double[] g = FiniteDifferences.Poisoned(1);
        Assert.Equal(0.0, Rosenbrock.ObjectiveGradientByHand([3.0], g));
        Assert.Equal(0.0, g[0]);
        Assert.Equal(0.0, Rosenbrock.ObjectiveGradientByHand([], []));
    }

    [Fact]
    public void GradientBufferOfTheWrongLengthIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Rosenbrock.ObjectiveGradientByHand(new double[3], new double[2]));
        Assert.Equal("dX", error.ParamName);
    }
}
