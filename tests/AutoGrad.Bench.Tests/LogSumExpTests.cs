using System;
using AutoGrad.Benchmarks.Objectives;
using Xunit;

namespace AutoGrad.Bench.Tests;

public sealed class LogSumExpTests
{
    [Fact]
    public void ValueOfEqualEntriesIsTheEntryPlusLogCount()
    {
        Assert.Equal(Math.Log(4.0), LogSumExp.Objective(new double[4]), 14);
        Assert.Equal(2.5 + Math.Log(3.0), LogSumExp.Objective([2.5, 2.5, 2.5]), 14);
    }

    [Fact]
    public void LargeEntriesDoNotOverflow()
    {
        double[] x = [1000.0, 1000.0];
        double[] g = FiniteDifferences.Poisoned(2);
        Assert.Equal(1000.0 + Math.Log(2.0), LogSumExp.Objective(x), 10);
        Assert.Equal(1000.0 + Math.Log(2.0), LogSumExp.ObjectiveGradientByHand(x, g), 10);
        Assert.Equal(0.5, g[0], 14);
        Assert.Equal(0.5, g[1], 14);
    }

    [Fact]
    public void HandWrittenGradientMatchesFiniteDifferences()
    {
        FiniteDifferences.AssertVectorGradient(
            x => LogSumExp.Objective(x), LogSumExp.ObjectiveGradientByHand, RandomData.Uniform(new Random(12), 9, -3.0, 3.0));
    }

    [Fact]
    public void GradientIsTheSoftmax()
    {
        double[] x = [0.0, Math.Log(3.0)];
        double[] g = new double[2];
        LogSumExp.ObjectiveGradientByHand(x, g);
        Assert.Equal(0.25, g[0], 14);
        Assert.Equal(0.75, g[1], 14);
    }
}
