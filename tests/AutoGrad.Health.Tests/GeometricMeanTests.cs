using System;
using Xunit;

namespace AutoGrad.Health.Tests;

/// <summary>
/// Review helper-75: a stack's row averaged its layers' readings in logs, so one zero-initialized layer made n_in·Var(W)
/// read 0, while frozen layers (ratio 0) were dropped and the row read NaN: the same weights read 0 or NaN by depth.
/// </summary>
public class GeometricMeanTests
{
    private static double Of(params double[] values)
    {
        var mean = new GeometricMean();
        foreach (double v in values) mean.Add(v);
        return mean.Value;
    }

    [Fact]
    public void PositiveValuesAreAveragedInLogs() => Assert.Equal(Math.Sqrt(2 * 8), Of(2, 8), 12);

    [Fact]
    public void AZeroAmongPositiveValuesDoesNotDecideTheMean() => Assert.Equal(2, Of(2, 0, 2), 12);

    [Fact]
    public void ZerosAloneAreZeroAndNothingFiniteIsNaN()
    {
        Assert.Equal(0, Of(0, 0, 0));
        Assert.Equal(0, Of(0, double.NaN));
        Assert.True(double.IsNaN(Of(double.NaN, double.NaN)));
        Assert.True(double.IsNaN(Of()));
        Assert.Equal(4, Of(4, double.PositiveInfinity, double.NaN), 12);
    }
}
