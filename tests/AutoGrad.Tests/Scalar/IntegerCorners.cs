using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Integer corners of the scalar subset: long counters as indices, wrapping arithmetic in unrolled loops, shifts.</summary>
public static partial class IntegerCorners
{
    /// <summary>Review helper-61: >>> and >>>= were AG0016/AG0015 though the docs list the shifts as supported.</summary>
    [Differentiable]
    public static double UnsignedShifts(double[] w, int k)
    {
        int j = k >>> 29; // 7 for a negative k, where >> gives -1
        int m = k;
        m >>>= 30;
        return w[j] * w[m] * w[j - m];
    }

    /// <summary>Bits of x used as integers (a sign, an exponent) are piecewise constant: no diagnostic, and a gradient.</summary>
    [Differentiable]
    public static double ExponentScaled(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1023;
        double sign = bits < 0 ? -1.0 : 1.0;
        return sign * x * x * Math.ScaleB(1.0, -exponent);
    }

    /// <summary>A sign and a power of two rebuilt from x's bits are piecewise constant (review helper-64).</summary>
    [Differentiable]
    public static double SignAndScaleFromBits(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        double sign = BitConverter.Int64BitsToDouble((bits & long.MinValue) | 0x3FF0000000000000L);
        int e = (int)((bits >> 52) & 0x7FF) - 1023;
        return sign * x * x / BitConverter.Int64BitsToDouble((long)(e + 1023) << 52);
    }

    /// <summary>Review helper-64: shift compound assignments on byte and short did not compile (CS0266).</summary>
    [Differentiable]
    public static double NarrowShifts(double[] w, byte b, short s)
    {
        b >>>= 1;
        s >>= 1;
        b <<= 1;
        return w[b] * w[s];
    }

    /// <summary>Review helper-64: a local long[] was declared as 'new int[2]' in the generated code (CS0029).</summary>
    [Differentiable]
    public static double LocalLongArray(double[] w, long k)
    {
        long[] idx = new long[2];
        idx[1] = k;
        return w[idx[1]] * w[0];
    }

    /// <summary>Review helper-61: a long index past int's range was cast onto a valid element in the gradient.</summary>
    [Differentiable]
    public static double LongIndex(double[] w, double x, long k) => w[k] * x + w[k - 1];

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

    /// <summary>
    /// Unrolled, the counter is a constant: the branch that skips i = 1 holds a division by constant zero in that copy,
    /// and the guarded read holds a[-1] in the first.
    /// </summary>
    [Differentiable]
    public static double GuardedByTheCounter(double x, double[] a)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            if (i != 1)
            {
                int q = 7 / (i - 1);
                s += q * x;
            }
            if (i > 0 && a[i - 1] > -10) s += a[i - 1] * x;
            if (!(i == 2) || i < 0) s += a[i] * a[i];
        }
        return s;
    }

    /// <summary>Unrolled, narrowing conversions of the counter overflow as constants; at run time they wrap.</summary>
    [Differentiable]
    public static double NarrowedCounters(double x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            s += (short)(32766 + i) * x;
            s += (byte)(250 + i * 10) * x;
            uint u = (uint)(i - 1);
            s += u * 1e-9 * x;
            long big = i * 4611686018427387904L;
            s += big * 1e-18 * x;
        }
        return s;
    }

    /// <summary>Conversions of floating values out of the target's range saturate at run time (a constant would fold to 0).</summary>
    [Differentiable]
    public static double SaturatingConversions(double x)
    {
        double s = 0;
        for (int i = 1; i < 3; i++)
        {
            int k = (int)(i * 2e10);
            long m = (long)(i * 1e19);
            s += x * k + x * (m * 1e-18);
        }
        return s;
    }

    /// <summary>Divisions the counter makes constant, in branches decided at run time: they throw only if they run.</summary>
    [Differentiable]
    public static double DividesInARunTimeBranch(double x)
    {
        double s = 0;
        for (int i = -1; i < 2; i++)
        {
            if (x > 5) s += x * (7 / i) + x * (int.MinValue / i);
            else s += x * i;
        }
        return s;
    }

    /// <summary>Unsigned and long counters: their arithmetic is the counter type's, in every unrolled copy.</summary>
    [Differentiable]
    public static double TypedCounters(double x)
    {
        double s = 0;
        for (uint i = 0; i < 3; i++)
        {
            if (i - 1 > 5) s += x * x;
            else s += x;
            s += x * ((i - 1) * 1e-9) + x * (i * 2147483648u) * 1e-9;
        }
        for (ulong j = 0; j < 3; j++) s += x * (j - 1) * 1e-19;
        for (long k = 1; k < 3; k++) s += x * (k << 40) * 1e-12;
        return s;
    }

    /// <summary>A negated constant that overflows, and ?: arms the counter decides (the other holds 7 / 0 or 40000).</summary>
    [Differentiable]
    public static double DecidedArms(double x)
    {
        double s = 0;
        for (int i = 0; i < 3; i++)
        {
            s += x * -(i - 2147483647 - 1) * 1e-9;
            s += x * (short)(i == 2 ? 40000 : 1);
            if (x > 5) s += x * (7 / (i == 1 ? 0 : 1));
        }
        return s;
    }

    /// <summary>int.MinValue % -1 throws at run time, as int.MinValue / -1 does.</summary>
    [Differentiable]
    public static double MinValueModulo(double x)
    {
        double s = 0;
        for (int i = -2; i < 0; i++) s += x * ((-2147483647 - 1) % i);
        return s;
    }

    /// <summary>
    /// Counters whose steps leave their type's range wrap at run time: these loops are not unrolled (a step of
    /// 4294967295U is −1, a ulong at 2⁶² reaches 2⁶³ and 3·2⁶² before wrapping to 0), and a counter declared before
    /// its unrolled loop keeps its typed final value.
    /// </summary>
    [Differentiable]
    public static double WrappingCounters(double x)
    {
        double s = 0;
        for (uint i = 2; i < 5; i += 4294967295U) s += (i + 1) * x * x;
        for (ulong j = 4611686018427387904UL; j >= 4611686018427387904UL; j += 4611686018427387904UL) s += j * 1e-18 * x * x;
        uint u;
        for (u = 1; u <= 5; u += 2) s += u * x;
        return s + u * x;
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
