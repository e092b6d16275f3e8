using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Review helper-61: the reverse sweep recomputed a ?: condition one operand at a time, so the right side of && or ||
/// ran where the method's own evaluation skips it: an index past the end, a division by zero.
/// </summary>
public static partial class ShortCircuits
{
    [Differentiable]
    public static double Guarded(double[] w, double x, int j) =>
        j < w.Length && w[j] < 0 ? Math.Log(-w[j]) * x : x * x;

    [Differentiable]
    public static double GuardedOr(double[] w, double x, int j) =>
        j >= w.Length || w[j] > 0 ? x : Math.Log(-w[j]) * x;

    [Differentiable]
    public static double InALoop(double[] w, double x, int j, int n)
    {
        double s = x;
        int i = 0;
        while (i < n)
        {
            s = s * x + (j < w.Length && w[j] < 0 ? Math.Log(-w[j]) * s : x);
            i++;
        }
        return s;
    }

    [Differentiable]
    public static double Accumulated(double[] w, double x, int j, int k)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++)
        {
            s += j < w.Length && w[j] < 0 ? Math.Log(-w[j]) * w[i] : w[i] * x;
            s += k != 0 && 10 / k > 2 ? x * x : x;
        }
        return s;
    }
}

public class ShortCircuitTests
{
    private static readonly double[] W = { 0.3, -1.2, 0.7 };

    [Theory]
    [InlineData(5)]  // the right side would index past the end
    [InlineData(1)]  // w[1] < 0: the log branch
    [InlineData(0)]
    public void TheRightSideRunsOnlyWhenTheLeftLetsIt(int j)
    {
        double[] w = (double[])W.Clone();
        GradCheck.Double(t => ShortCircuits.Guarded(t[..3], t[3], j), t =>
        {
            var dW = new double[3];
            double v = ShortCircuits.GuardedGradient(t[..3], t[3], j, dW, out double dX);
            return (v, new[] { dW[0], dW[1], dW[2], dX });
        }, new[] { w[0], w[1], w[2], 0.9 });
        GradCheck.Double(t => ShortCircuits.GuardedOr(t[..3], t[3], j), t =>
        {
            var dW = new double[3];
            double v = ShortCircuits.GuardedOrGradient(t[..3], t[3], j, dW, out double dX);
            return (v, new[] { dW[0], dW[1], dW[2], dX });
        }, new[] { w[0], w[1], w[2], 0.9 });
        GradCheck.Double(t => ShortCircuits.InALoop(t[..3], t[3], j, 4), t =>
        {
            var dW = new double[3];
            double v = ShortCircuits.InALoopGradient(t[..3], t[3], j, 4, dW, out double dX);
            return (v, new[] { dW[0], dW[1], dW[2], dX });
        }, new[] { w[0], w[1], w[2], 0.9 });
    }

    [Theory]
    [InlineData(5, 0)] // neither right side may run: an index past the end and 10 / 0
    [InlineData(1, 3)]
    public void AJointLoopKeepsItsShortCircuits(int j, int k)
    {
        GradCheck.Double(t => ShortCircuits.Accumulated(t[..3], t[3], j, k), t =>
        {
            var dW = new double[3];
            double v = ShortCircuits.AccumulatedGradient(t[..3], t[3], j, k, dW, out double dX);
            return (v, new[] { dW[0], dW[1], dW[2], dX });
        }, new[] { W[0], W[1], W[2], 0.9 });
    }
}
