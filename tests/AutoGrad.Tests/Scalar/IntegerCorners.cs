namespace AutoGrad.Tests.Scalar;

/// <summary>Integer corners of the scalar subset: long counters as indices, wrapping arithmetic in unrolled loops, shifts.</summary>
public static partial class IntegerCorners
{
    /// <summary>A long counter indexes a differentiated array (its gradient is a span, which takes int indices).</summary>
    [Differentiable]
    public static double LongCounter(double[] w, [NoGrad] double[] data, long n, bool flip, double x)
    {
        double s = 0;
        for (long i = 0; i < n; i++) s += data[i] * w[i] * (flip ? -x : x);
        return s;
    }

    /// <summary>An unrolled loop whose int arithmetic wraps at i = 2, choosing the other branch.</summary>
    [Differentiable]
    public static double WrappingProduct(double[] x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            int k = i * 1500000000;
            if (k < 0) s += x[0] * x[1];
            else s += x[2] * x[i];
        }
        return s;
    }

    /// <summary>Compound shifts on an int and a long.</summary>
    [Differentiable]
    public static double Shifts(double x, int n)
    {
        int m = 1;
        long big = 1;
        for (int i = 0; i < n; i++)
        {
            m <<= 1;
            big <<= 2;
            m >>= 0;
        }
        return x * m + x * big;
    }
}
