using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Calls between differentiable methods, across partial classes, and custom pullbacks.</summary>
public static partial class Calls
{
    [Differentiable]
    public static double Square(double x) => x * x;

    [Differentiable]
    public static double WeightedSum(ReadOnlySpan<double> w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < w.Length; i++) s += w[i] * x[i];
        return s;
    }

    [Differentiable]
    public static double CallsScalar(double x, double y) => Square(x * y) + Square(Square(x)) + Helpers.Cube(y);

    [Differentiable]
    public static double CallsWithArrays(double[] w, double[] v, int n)
    {
        var local = new double[n];
        for (int i = 0; i < n; i++) local[i] = Math.Sin(v[i]);
        double a = WeightedSum(w, local);
        double b = WeightedSum(w.AsSpan(1, n - 1), v.AsSpan(0, n - 1));
        return a * b + Helpers.Norm2(local);
    }

    [Differentiable]
    public static double CallsInLoop(ReadOnlySpan<double> w, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += Square(w[i] - s * 0.1) + Helpers.Softplus(w[i]);
        }
        return s;
    }

    [Differentiable]
    public static double InactiveArgumentToCallee([NoGrad] double[] data, double scale)
    {
        // data is not differentiated, but WeightedSum wants gradients for both arguments.
        return scale * WeightedSum(data, data);
    }
}

/// <summary>A second partial class: callees live elsewhere.</summary>
public static partial class Helpers
{
    [Differentiable]
    public static double Cube(double x) => x * x * x;

    [Differentiable]
    public static double Norm2(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return Math.Sqrt(s);
    }

    /// <summary>log(1 + eˣ), computed stably; its derivative is the logistic function.</summary>
    [CustomPullback(nameof(SoftplusPullback))]
    public static double Softplus(double x) => x > 30 ? x : Math.Log(1 + Math.Exp(x));

    public static void SoftplusPullback(double x, double dResult, ref double dX) => dX += dResult / (1 + Math.Exp(-x));

    /// <summary>A custom pullback that reuses the primal result, and a non-differentiable branch inside.</summary>
    [CustomPullback(nameof(SafeSqrtPullback))]
    public static double SafeSqrt(double x) => x <= 0 ? 0 : Math.Sqrt(x);

    public static void SafeSqrtPullback(double x, double result, double dResult, ref double dX) =>
        dX += result > 0 ? dResult / (2 * result) : 0;

    /// <summary>A custom pullback for a span argument.</summary>
    [CustomPullback(nameof(SumOfSquaresPullback))]
    public static double SumOfSquares(ReadOnlySpan<double> v)
    {
        double s = 0;
        foreach (double x in v) s += x * x;
        return s;
    }

    public static void SumOfSquaresPullback(ReadOnlySpan<double> v, double dResult, Span<double> dV)
    {
        for (int i = 0; i < v.Length; i++) dV[i] += 2 * v[i] * dResult;
    }

    [Differentiable]
    public static double UsesCustom(double[] w, double x) => Softplus(x * w[0]) + SafeSqrt(x) * SumOfSquares(w);

    /// <summary>A callee with optional parameters, called without them: the generator passes their defaults on.</summary>
    [Differentiable]
    public static double WithDefaults(double x, double k = 2.5, int n = 3) => k * n * x * x;

    [Differentiable]
    public static double CallsWithDefaults(double x) => WithDefaults(x) + WithDefaults(x, 0.5) + WithOtherDefaults(x);

    /// <summary>Defaults of other types: an enum, a string, null and a decimal.</summary>
    [Differentiable]
    public static double WithOtherDefaults(double x, [NoGrad] System.MidpointRounding mode = System.MidpointRounding.AwayFromZero,
        [NoGrad] string label = "a \"b\"", [NoGrad] int[]? unused = null, [NoGrad] decimal scale = 2.5m) =>
        (mode == System.MidpointRounding.AwayFromZero ? 1 : 0) * label.Length * x;

    /// <summary>An extension method called with extension syntax (the generated call lost its receiver: CS7036).</summary>
    [Differentiable]
    public static double TwiceSquared(this double x) => 2 * x * x;

    [Differentiable]
    public static double CallsExtension(double x) => x.TwiceSquared() * x;
}
