using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Gradients of loops that write their tape values through a reserved span (TapeSegments.cs) against finite
/// differences, at trip counts 0, 1, 2 and more (AutoGrad.Generator.Tests checks which loops get a span).
/// </summary>
public class TapeSegmentTests
{
    private static void Check(Func<double[], int, double> primal, GradientOf gradient, int n, int seed)
    {
        double[] w = GradCheck.Random(Math.Max(n, 1), seed, -0.9, 0.9);
        GradCheck.Double(t => primal(t, n), t => { var g = new double[t.Length]; return (gradient(t, n, g), g); }, w);
    }

    private delegate double GradientOf(double[] w, int n, Span<double> dW);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(9)]
    public void TwoPerIteration(int n) => Check(Scalar.TapeSegments.TwoPerIteration, Scalar.TapeSegments.TwoPerIterationGradient, n, 300 + n);

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    public void BothArmsSave(int n) => Check(Scalar.TapeSegments.BothArmsSave, Scalar.TapeSegments.BothArmsSaveGradient, n, 310 + n);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public void NestedOnOneTape(int n) => Check(Scalar.TapeSegments.NestedOnOneTape, Scalar.TapeSegments.NestedOnOneTapeGradient, n, 320 + n);

    [Theory]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(7)]
    public void DownwardByTwo(int n) => Check(Scalar.TapeSegments.DownwardByTwo, Scalar.TapeSegments.DownwardByTwoGradient, n, 330 + n);

    [Theory]
    [InlineData(6)]
    public void UntilSmall(int n) => Check(Scalar.TapeSegments.UntilSmall, Scalar.TapeSegments.UntilSmallGradient, n, 340 + n);

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TwoLoopsOneTape(int n) => Check(Scalar.TapeSegments.TwoLoopsOneTape, Scalar.TapeSegments.TwoLoopsOneTapeGradient, n, 350 + n);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(6)]
    [InlineData(9)]
    public void BoundsWrittenThroughAView(int n)
    {
        double[] w = GradCheck.Random(24, 370 + n, -0.9, 0.9);
        GradCheck.Double(t => Scalar.TapeSegments.BoundGrowsThroughAView(t, n),
            t => { var g = new double[t.Length]; return (Scalar.TapeSegments.BoundGrowsThroughAViewGradient(t, n, g), g); }, w);
        GradCheck.Double(t => Scalar.TapeSegments.BoundShrinksThroughAView(t, n),
            t => { var g = new double[t.Length]; return (Scalar.TapeSegments.BoundShrinksThroughAViewGradient(t, n, g), g); }, w);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    [InlineData(int.MaxValue)]
    public void ATripCountThatOverflowsInt(int n)
    {
        double[] w = GradCheck.Random(3, 380, -0.9, 0.9);
        GradCheck.Double(t => Scalar.TapeSegments.HugeStride(t, n),
            t => { var g = new double[t.Length]; return (Scalar.TapeSegments.HugeStrideGradient(t, n, g), g); }, w);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void AnIntBoundWrittenThroughAView(int n)
    {
        double[] w = GradCheck.Random(24, 390 + n, -0.9, 0.9);
        GradCheck.Double(t => Scalar.TapeSegments.IntBoundShrinksThroughAView(t, n),
            t => { var g = new double[t.Length]; return (Scalar.TapeSegments.IntBoundShrinksThroughAViewGradient(t, n, g), g); }, w);
    }

    [Fact]
    public void ACounterThatWraps()
    {
        double[] w = GradCheck.Random(2, 395, -0.9, 0.9);
        GradCheck.Double(t => Scalar.TapeSegments.WrappingStride(t, 5, 10),
            t => { var g = new double[t.Length]; return (Scalar.TapeSegments.WrappingStrideGradient(t, 5, 10, g), g); }, w);
    }

    /// <summary>Many calls of different lengths on one thread: the pooled tape is reused, and spans must not outlive it.</summary>
    [Fact]
    public void RepeatedCallsOfDifferentLengthsAgree()
    {
        double[] w = GradCheck.Random(600, 360, -0.9, 0.9);
        var expected = new double[600];
        Scalar.TapeSegments.TwoLoopsOneTapeGradient(w, 600, expected);
        foreach (int n in new[] { 3, 600, 0, 257, 600 })
        {
            var g = new double[600];
            Scalar.TapeSegments.TwoLoopsOneTapeGradient(w, n, g);
            if (n == 600) Assert.Equal(expected, g);
        }
    }
}
