using System;
using Xunit;

namespace AutoGrad.Bench.Tests;

/// <summary>A gradient of a function of one vector: returns the value and overwrites <paramref name="dX"/>.</summary>
internal delegate double VectorGradient(ReadOnlySpan<double> x, Span<double> dX);

/// <summary>Central finite differences of a scalar function, and a comparison that names the failing component.</summary>
internal static class FiniteDifferences
{
    /// <summary>
    /// Checks a gradient of a one-vector function at <paramref name="x"/>: its value against the primal, every component
    /// against finite differences, and that it overwrites a NaN-filled buffer.
    /// </summary>
    public static void AssertVectorGradient(Func<double[], double> primal, VectorGradient gradient, double[] x)
    {
        double[] dX = Poisoned(x.Length);
        double value = gradient(x, dX);
        Assert.Equal(primal(x), value, 12);
        AssertClose(Gradient(primal, x), dX, nameof(dX));
    }

    /// <summary>
    /// ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h for every i. With h = 1e-6 in double precision the error is about
    /// 1e-9 relative for the smooth objectives here, far below any missing term or wrong sign.
    /// </summary>
    public static double[] Gradient(Func<double[], double> f, double[] x, double h = 1e-6)
    {
        double[] point = (double[])x.Clone();
        double[] gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = f(point);
            point[i] = saved - h;
            double minus = f(point);
            point[i] = saved;
            gradient[i] = (plus - minus) / (2.0 * h);
        }
        return gradient;
    }

    /// <summary>Asserts |actual − expected| ≤ absolute + relative·|expected| component by component.</summary>
    public static void AssertClose(
        ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string name, double absolute = 1e-6, double relative = 1e-5)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = absolute + relative * Math.Abs(expected[i]);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance))
            {
                Assert.Fail($"{name}[{i}]: expected {expected[i]:R} (finite differences), got {actual[i]:R}.");
            }
        }
    }

    /// <summary>A buffer full of NaN, to prove that a gradient overwrites rather than accumulates.</summary>
    public static double[] Poisoned(int length)
    {
        double[] buffer = new double[length];
        Array.Fill(buffer, double.NaN);
        return buffer;
    }
}
