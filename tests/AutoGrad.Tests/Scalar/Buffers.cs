using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Arrays and spans: parameters, local arrays, views.</summary>
public static partial class Buffers
{
    [Differentiable]
    public static double ComputedIndices(double[] w, [NoGrad] int[] index, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += w[index[i]] * w[(i * 3 + 1) % w.Length];
        }
        return s;
    }

    [Differentiable]
    public static double LocalArray(ReadOnlySpan<double> w, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++)
        {
            a[i] = w[i] * w[i];
        }
        for (int pass = 0; pass < 3; pass++)
        {
            for (int i = 1; i < n; i++)
            {
                a[i] = a[i] * 0.5 + a[i - 1] * w[i];   // overwritten in place, read again next pass
            }
        }
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i];
        return s;
    }

    [Differentiable]
    public static double StackAllocated(ReadOnlySpan<double> w)
    {
        Span<double> t = stackalloc double[4];
        for (int i = 0; i < 4; i++)
        {
            t[i] = Math.Sin(w[i]);
        }
        t[2] += t[0] * t[1];
        t[3] -= t[2] * 2;
        t[0] *= t[3];
        t[1] /= 1 + t[0] * t[0];
        return t[0] + t[1] + t[2] + t[3];
    }

    [Differentiable]
    public static double CompoundOnElements(double[] w, int n)
    {
        double[] acc = new double[2];
        for (int i = 0; i < n; i++)
        {
            acc[i % 2] += w[i];
            acc[1 - i % 2] *= 0.9;
        }
        acc[0]++;
        return acc[0] * acc[1];
    }

    [Differentiable]
    public static double InactiveHelpers(ReadOnlySpan<double> w, [NoGrad] double[] xs, int start, int len)
    {
        ReadOnlySpan<double> window = xs.AsSpan(start, len);
        double s = 0;
        for (int i = 0; i < window.Length; i++)
        {
            s += w[i] * window[i];
        }
        return s + xs.Length * w[0];
    }

    [Differentiable]
    public static double ActiveViews(double[] w, int n)
    {
        var a = new double[n];
        for (int i = 0; i < n; i++) a[i] = w[i] * (i + 1);
        Span<double> tail = a.AsSpan(1, n - 1);
        Span<double> head = a.AsSpan(0, 2);
        tail[0] *= head[0];
        double s = 0;
        for (int i = 0; i < tail.Length; i++) s += tail[i] * tail[i];
        return s;
    }

    [Differentiable]
    public static float FloatBuffers(float[] w, Span<float> v, int n)
    {
        float s = 0;
        for (int i = 0; i < n; i++)
        {
            s += w[i] * v[i] + MathF.Exp(-w[i] * w[i]);
        }
        return s;
    }

    /// <summary>Accumulations into a scratch array that a loop fully rewrites each round (their saves can be skipped).</summary>
    [Differentiable]
    public static double FullyRewrittenScratch(double[] w, int n, int rounds)
    {
        var b = new double[n];
        double s = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n; i++) b[i] = w[i] * (r + 1);
            for (int i = 0; i < n; i++) b[i] += w[i] * w[(i + r) % n];
            for (int i = 0; i < n; i++) s += b[i] * b[i];
        }
        return s;
    }

    /// <summary>The same, but the rewrite covers only half the array: the accumulations must be saved.</summary>
    [Differentiable]
    public static double PartlyRewrittenScratch(double[] w, int n, int rounds)
    {
        var b = new double[n];
        double s = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < n / 2; i++) b[i] = w[i] * (r + 1);
            for (int i = 0; i < n; i++) b[i] += w[i] * w[(i + r) % n];
            for (int i = 0; i < n; i++) s += b[i] * b[i];
        }
        return s;
    }

    private static readonly double[] Coefficients = { 0.5, -1.25, 2.0, 0.75 };

    private static ReadOnlySpan<float> Weights => [3f, -2f, 0.5f, 1f];

    /// <summary>A polynomial whose coefficients are a static table, read and measured in place.</summary>
    [Differentiable]
    public static double StaticTables(double x, ReadOnlySpan<double> w)
    {
        double s = 0;
        double power = 1;
        for (int i = 0; i < Coefficients.Length; i++)
        {
            s += Coefficients[i] * power + Weights[i] * w[i] * w[i];
            power *= x;
        }
        return s * Coefficients[3] + Weights[0] * x;
    }
}

/// <summary>Static tables named like the gradients, and tables or views passed to other differentiable methods.</summary>
public static partial class StaticTablesAsArguments
{
    // Named like the gradient of x: the generated methods take a parameter dX.
    private static readonly double[] dX = { 4.0, 5.0 };

    private static ReadOnlySpan<double> W => [3.0, -2.0, 0.5];

    [Differentiable]
    public static double NamedLikeAGradient(double x) => x * dX[0] + x * x * dX[1];

    [Differentiable]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * a[i] * b[i];
        return s;
    }

    [Differentiable]
    public static double WithTable(double[] w) => Dot(w, W);

    [Differentiable]
    public static double WithView(double[] w, [NoGrad] double[] c) => Dot(w, c.AsSpan(1, 3));
}

/// <summary>An element's adjoint addition that reads a scalar adjoint, which an earlier statement's reverse adds to.</summary>
public static partial class CoalescedAdditions
{
    [Differentiable]
    public static double ClampAfterUse(double x, double[] a)
    {
        double y = a[2] * x;
        double s = (a[3] + x) * x;
        x += Math.Clamp(Math.Ceiling(a[1] * 2.0) * 0.1 + a[0], -0.6, 0.8);
        return a[0] * s + x + y * y;
    }
}
