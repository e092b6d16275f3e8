using System;
using AutoGrad;

namespace AutoGrad.Tests.Scalar;

public static partial class Basics
{
    [Differentiable]
    public static double Poly(double x, double y) => 3 * x * x * y - y / x + 2;

    [Differentiable]
    public static double Dot(ReadOnlySpan<double> w, [NoGrad] double[] x, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += w[i] * x[i];
        }
        return s;
    }

    [Differentiable]
    public static double Recurrence(double a, ReadOnlySpan<double> w, [NoGrad] double[] x, int n)
    {
        double h = a;
        for (int i = 0; i < n; i++)
        {
            h = Math.Tanh(w[i] * h + x[i]);
        }
        return h * h;
    }
}
