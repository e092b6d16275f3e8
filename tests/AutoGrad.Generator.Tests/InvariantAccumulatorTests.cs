using System.Text.RegularExpressions;
using AutoGrad.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Generator.Tests;

/// <summary>
/// Which inner loops sum an adjoint element in a local (LoopInvariantAccumulators). The methods are the ones
/// AutoGrad.Tests checks against finite differences (tests/AutoGrad.Tests/Scalar/InvariantAccumulators.cs), so a loop
/// summed wrongly fails there, and one that stops being summed fails here.
/// </summary>
public class InvariantAccumulatorTests
{
    private const string Marker = "summed in _sum";

    [Theory]
    [InlineData("Triangular", 1)]
    [InlineData("LastElement", 1)]
    [InlineData("VaryingElement", 0)]
    [InlineData("TwoElements", 0)]
    [InlineData("Viewed", 0)]
    public void LoopsThatSumAnElementLocally(string method, int summed)
    {
        string text = Generated(method);
        Assert.Equal(summed, Regex.Matches(text, Regex.Escape(Marker)).Count);
    }

    [Fact]
    public void TheElementIsReadOnlyWhenTheLoopRuns()
    {
        // The index n - 1 is out of range for n = 0, so the read waits for the loop's condition.
        string text = Generated("LastElement");
        Assert.Matches(@"if \(k < n\)\s*\{\s*// every iteration adds to the same element of _d_copy: summed in _sum_d_copy, written once\s*double _sum_d_copy = _d_copy\[n - 1\];", text);
        Assert.Contains("_d_copy[n - 1] = _sum_d_copy;", text);
    }

    [Fact]
    public void AReversedLoopIsGuardedByItsTripCount()
    {
        // for (int it = trips; it > 0; it--) keeps its header; the guard is the condition on the start value.
        string text = Generated("Triangular");
        Assert.Matches(@"if \(_trips(\d+) > 0\)\s*\{\s*// every iteration adds to the same element of _d_scaled: summed in _sum_d_scaled, written once\s*" +
            @"double _sum_d_scaled = _d_scaled\[i_1\];\s*for \(int _iteration_\1 = _trips\1; _iteration_\1 > 0; _iteration_\1--\)", text);
        Assert.Contains("_d_scaled[i_1] = _sum_d_scaled;", text);
    }

    private static string Generated(string method) =>
        ScalarTestSources.Generated("InvariantAccumulators.cs", "InvariantAccumulators", method);
}
