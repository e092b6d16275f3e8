using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Scalar code where a NaN can start at two known statements: a log of a negative product inside a loop, and a mean
/// over no elements. The line numbers are asserted by <see cref="NonFiniteOriginTests"/>; keep them.
/// </summary>
public static partial class NonFiniteOrigins
{
    [Differentiable]
    public static double Loss(double[] p, double a)
    {
        double s = 0;
        for (int i = 0; i < p.Length; i++)
        {
            s += Math.Log(p[i] * a);
        }
        double mean = s / p.Length;
        return mean * mean;
    }
}
