using System;

namespace AutoGrad.Runtime.Tests.Support;

/// <summary>Float64 reference implementations of the ops' building blocks, in plain loops.</summary>
internal static class Reference
{
    /// <summary><c>x[rows, inner] · w[cols, inner]ᵀ</c> (+ bias).</summary>
    public static double[] MatMulNT(double[] x, double[] w, int rows, int inner, int cols, double[]? bias = null)
    {
        var y = new double[rows * cols];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                double s = bias?[j] ?? 0;
                for (int k = 0; k < inner; k++)
                {
                    s += x[i * inner + k] * w[j * inner + k];
                }
                y[i * cols + j] = s;
            }
        }
        return y;
    }

    public static double[] Map(double[] x, Func<double, double> f)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = f(x[i]);
        }
        return y;
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static double Softplus(double x) => Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs(x)));

    /// <summary>The error function (Abramowitz–Stegun 7.1.26 is too coarse for a reference; this series/continued
    /// fraction pair is accurate to ~1e-15).</summary>
    public static double Erf(double x)
    {
        double ax = Math.Abs(x);
        double r;
        if (ax < 3)
        {
            // Maclaurin series: erf x = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)).
            double term = ax, sum = ax;
            for (int n = 1; n < 200; n++)
            {
                term *= -ax * ax / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }
            r = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            // Continued fraction for erfc, evaluated bottom-up.
            double f = 0;
            for (int n = 60; n >= 1; n--)
            {
                f = n / 2.0 / (ax + f);
            }
            r = 1 - Math.Exp(-ax * ax) / Math.Sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    public static double[] Row(double[] m, int row, int cols) => m.AsSpan(row * cols, cols).ToArray();
}
