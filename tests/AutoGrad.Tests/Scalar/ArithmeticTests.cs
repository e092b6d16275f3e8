using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class ArithmeticTests
{
    [Theory]
    [InlineData(1.3, -0.7)]
    [InlineData(-2.1, 0.4)]
    public void ExpressionBodied(double x, double y) => GradCheck.Double(
        t => Arithmetic.ExpressionBodied(t[0], t[1]),
        t => (Arithmetic.ExpressionBodiedGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Fact]
    public void ExpressionBodiedMatchesHandDerivative()
    {
        // f = 3x²y - y/x + 2: ∂f/∂x = 6xy + y/x², ∂f/∂y = 3x² - 1/x. An independent computation, not a difference.
        double x = 1.7, y = -0.3;
        Arithmetic.ExpressionBodiedGradient(x, y, out double dx, out double dy);
        Assert.Equal(6 * x * y + y / (x * x), dx, 12);
        Assert.Equal(3 * x * x - 1 / x, dy, 12);
    }

    [Theory]
    [InlineData(0.8, 1.1)]
    [InlineData(-1.5, 0.3)]
    public void LocalsAndCompoundAssignments(double x, double y) => GradCheck.Double(
        t => Arithmetic.Locals(t[0], t[1]),
        t => (Arithmetic.LocalsGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { x, y });

    [Fact]
    public void UnaryMinusAndParentheses() => GradCheck.Double(
        t => Arithmetic.UnaryAndParentheses(t[0], t[1]),
        t => (Arithmetic.UnaryAndParenthesesGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { 0.9, -1.7 });

    [Fact]
    public void CastsBetweenFloatDoubleAndInt()
    {
        // y is a float parameter: the gradient is a float, checked against differences taken in double of x.
        double x = 0.7;
        float y = 1.25f;
        double value = Arithmetic.CastsGradient(x, y, 5, out double dx, out float dy);
        Assert.Equal(Arithmetic.Casts(x, y, 5), value);
        // f = d·x + ... with d = (float)x·y + y·k, so ∂f/∂x = d + x·y and ∂f/∂y = x·x + k·x, computed independently.
        // (Finite differences in x are swamped by the float rounding of (float)x.)
        Assert.Equal(x * y + y * 5 + x * y, dx, 5);
        Assert.Equal(x * x + 5 * x, dy, 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    public void IntegerCountersAreNotDifferentiated(int n) => GradCheck.Double(
        t => Arithmetic.IntCounters(t[0], n),
        t => (Arithmetic.IntCountersGradient(t[0], n, out double dx), new[] { dx }),
        new[] { 1.3 });

    [Fact]
    public void ParametersCanBeReassigned() => GradCheck.Double(
        t => Arithmetic.ParameterReassigned(t[0], t[1]),
        t => (Arithmetic.ParameterReassignedGradient(t[0], t[1], out double dx, out double dy), new[] { dx, dy }),
        new[] { 0.6, -1.2 });

    [Fact]
    public void FloatMethodGetsFloatGradients() => GradCheck.Float(
        t => Arithmetic.FloatMethod(t[0], t[1]),
        t => (Arithmetic.FloatMethodGradient(t[0], t[1], out float dx, out float dy), new[] { dx, dy }),
        new[] { 0.4f, 0.9f });

    [Fact]
    public void DeadCodeWithUndefinedDerivativeDoesNotPoisonTheGradient()
    {
        // Acos(3) and Sqrt(-3) are NaN and their derivatives undefined, but they do not reach the result.
        double value = Arithmetic.InactiveDeadNaNGradient(3.0, out double dx);
        Assert.Equal(9.0, value);
        Assert.Equal(6.0, dx);
    }

    [Fact]
    public void InactiveNaNDataDoesNotPoisonTheGradient()
    {
        Arithmetic.InactiveConstantNaNGradient(2.0, -1.0, out double dx);
        Assert.Equal(1.0, dx);
    }
}
