using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class InvariantAccumulatorTests
{
    [Theory]
    [InlineData(5)]
    [InlineData(1)]
    public void Triangular(int d)
    {
        double[] lower = GradCheck.Random(d * (d - 1) / 2, 90);
        GradCheck.Double(
            t => InvariantAccumulators.Triangular(t.AsSpan(0, lower.Length), t.AsSpan(lower.Length), d),
            t =>
            {
                var dLower = new double[lower.Length];
                var dV = new double[d];
                double value = InvariantAccumulators.TriangularGradient(t.AsSpan(0, lower.Length), t.AsSpan(lower.Length), d, dLower, dV);
                return (value, GradCheck.Concat(dLower, dV));
            },
            GradCheck.Concat(lower, GradCheck.Random(d, 91)));
    }

    [Fact]
    public void LastElement()
    {
        double[] x = GradCheck.Random(6, 92, -2, 2);
        GradCheck.Double(t => InvariantAccumulators.LastElement(t, x, 6),
            t => { var g = new double[t.Length]; return (InvariantAccumulators.LastElementGradient(t, x, 6, g), g); }, GradCheck.Random(6, 93));
    }

    [Fact]
    public void LastElementOfNothing()
    {
        // n = 0: the loop runs no iteration, and the gradient must not read element −1 of the adjoint.
        double value = InvariantAccumulators.LastElementGradient(Array.Empty<double>(), Array.Empty<double>(), 0, Array.Empty<double>());
        Assert.Equal(0.0, value);
    }

    [Fact]
    public void VaryingElement() => Check(InvariantAccumulators.VaryingElement, InvariantAccumulators.VaryingElementGradient, 94);

    [Fact]
    public void TwoElements() => Check(InvariantAccumulators.TwoElements, InvariantAccumulators.TwoElementsGradient, 95);

    [Fact]
    public void Viewed() => Check(InvariantAccumulators.Viewed, InvariantAccumulators.ViewedGradient, 96);

    private delegate double GradientOf(ReadOnlySpan<double> w, int n, Span<double> dW);

    private delegate double PrimalOf(ReadOnlySpan<double> w, int n);

    private static void Check(PrimalOf primal, GradientOf gradient, int seed)
    {
        double[] w = GradCheck.Random(6, seed);
        GradCheck.Double(t => primal(t, t.Length),
            t => { var g = new double[t.Length]; return (gradient(t, t.Length, g), g); }, w);
    }
}
