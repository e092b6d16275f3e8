using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Inner loops whose reverse adds to one element of a local buffer's adjoint on every iteration, which the gradient
/// sums in a local and writes once, and near misses where it must not (tests/AutoGrad.Generator.Tests checks which).
/// </summary>
public static partial class InvariantAccumulators
{
    /// <summary>
    /// A triangular matrix times a scaled copy of v (the Gaussian mixture's <c>Q·(x − μ)</c>): the reverse of the inner
    /// loop adds to <c>scaled[i]</c>'s adjoint for every j, and runs no iteration for the last i.
    /// </summary>
    [Differentiable]
    public static double Triangular(ReadOnlySpan<double> lower, ReadOnlySpan<double> v, int d)
    {
        double[] scaled = new double[d];
        double[] product = new double[d];
        for (int i = 0; i < d; i++)
        {
            scaled[i] = Math.Exp(v[i]) * v[i];
            product[i] = scaled[i];
        }
        int at = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                product[j] += lower[at] * scaled[i];
                at++;
            }
        }
        double s = 0;
        for (int i = 0; i < d; i++) s += product[i] * product[i];
        return s;
    }

    /// <summary>
    /// The element is the last one, <c>n − 1</c>, which is out of range when n is 0: the gradient must not read it
    /// before a loop that runs no iteration.
    /// </summary>
    [Differentiable]
    public static double LastElement(ReadOnlySpan<double> w, [NoGrad] double[] x, int n)
    {
        double[] copy = new double[n];
        for (int i = 0; i < n; i++) copy[i] = w[i] * w[i];
        double s = 0;
        for (int k = 0; k < n; k++) s += copy[n - 1] * x[k];
        return s;
    }

    /// <summary>Not summed locally: each iteration adds to a different element (the index is the loop's own).</summary>
    [Differentiable]
    public static double VaryingElement(ReadOnlySpan<double> w, int n)
    {
        double[] copy = new double[n];
        for (int i = 0; i < n; i++) copy[i] = Math.Sin(w[i]);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) s += copy[j] * w[i];
        }
        return s;
    }

    /// <summary>Not summed locally: the loop adds to two elements of one buffer, which may be the same one.</summary>
    [Differentiable]
    public static double TwoElements(ReadOnlySpan<double> w, int n)
    {
        double[] copy = new double[n];
        for (int i = 0; i < n; i++) copy[i] = w[i] * (i + 1);
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) s += copy[i] * copy[j];
        }
        return s;
    }

    /// <summary>Not summed locally: a view of the buffer exists, through which its elements have another name.</summary>
    [Differentiable]
    public static double Viewed(ReadOnlySpan<double> w, int n)
    {
        double[] copy = new double[n];
        for (int i = 0; i < n; i++) copy[i] = w[i] * w[i];
        Span<double> tail = copy.AsSpan(1, n - 1);
        double s = 0;
        for (int i = 0; i < n - 1; i++)
        {
            for (int j = 0; j < n - 1; j++) s += copy[i] * tail[j];
        }
        return s;
    }
}
