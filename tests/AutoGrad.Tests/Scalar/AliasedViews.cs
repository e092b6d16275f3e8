using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// A written local array whose elements are used under two names (the array and a view, two views, a view of a
/// view): every analysis that orders the reverse sweep must know that <c>v[0]</c> and <c>buf[1]</c> are one element.
/// </summary>
public static partial class AliasedViews
{
    /// <summary>Written through the array, overwritten through the view, read back through the array.</summary>
    [Differentiable]
    public static double ArrayThenView(double x, double y)
    {
        var buf = new double[3];
        var v = buf.AsSpan(1, 2);
        buf[1] = x;
        v[1] = v[0] * y;
        return buf[2] * x;
    }

    /// <summary>Written through a view, read through the array.</summary>
    [Differentiable]
    public static double ViewThenArray(double x, double y)
    {
        var buf = new double[2];
        var v = buf.AsSpan(0, 2);
        v[0] = x * y;
        buf[1] = buf[0] * buf[0];
        return v[1] + buf[0];
    }

    /// <summary>Two overlapping views, no access through the array.</summary>
    [Differentiable]
    public static double OverlappingViews(double x, double y)
    {
        var buf = new double[3];
        var a = buf.AsSpan(0, 2);
        var b = buf.AsSpan(1, 2);
        a[1] = x;
        b[1] = b[0] * y;
        a[0] = b[1] * x;
        return a[0] + b[1];
    }

    /// <summary>A stackalloc'd span and a slice of it.</summary>
    [Differentiable]
    public static double StackSlice(double x, double y)
    {
        Span<double> t = stackalloc double[4];
        var u = t.Slice(2, 2);
        t[2] = x;
        u[1] = u[0] * y + t[2];
        t[0] = t[3] * t[3];
        return t[0] + u[1];
    }

    /// <summary>A view of a view, written in a loop and by compound assignment.</summary>
    [Differentiable]
    public static double ViewOfAView(double[] x)
    {
        var buf = new double[6];
        var v = buf.AsSpan(2, 3);
        var w = v.Slice(1, 2);
        for (int i = 0; i < 3; i++) v[i] = x[i] * 2 + x[3];
        w[0] *= x[0];
        w[1] = w[0] * v[0];
        buf[0] = v[2] + buf[3];
        return buf[0] * buf[2] + w[1] + buf[4];
    }

    /// <summary>Each element computed from the one before it, written through a view shifted by one.</summary>
    [Differentiable]
    public static double ShiftedRecurrence(double[] x)
    {
        var buf = new double[x.Length + 1];
        var v = buf.AsSpan(1, x.Length);
        buf[0] = 1;
        for (int i = 0; i < x.Length; i++) v[i] = buf[i] * x[i] + 0.5;
        return buf[x.Length];
    }

    /// <summary>A loop local that reads an element the loop overwrites through a view: it cannot be recomputed.</summary>
    [Differentiable]
    public static double LocalReadsAnElementAViewOverwrites(double[] x)
    {
        var t = new double[2];
        var v = t.AsSpan(0, 1);
        t[0] = 0.5;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double a = t[0] * x[i];
            v[0] = a * a + x[i];
            s = s * 0.5 + a;
        }
        return s;
    }

    /// <summary>A whole-array view, AsSpan() without arguments, written and read back through the array.</summary>
    [Differentiable]
    public static double WholeArrayView(double x, double y)
    {
        var buf = new double[3];
        var v = buf.AsSpan();
        v[0] = x * x;
        v[2] = v[0] * y;
        return buf[2] + buf[0] * y;
    }

    /// <summary>The static form MemoryExtensions.AsSpan(buf, 1, 2): a view of buf like buf.AsSpan(1, 2) (it was not, and
    /// the write through it carried no derivative into buf).</summary>
    [Differentiable]
    public static double StaticFormView(double x, double y)
    {
        var buf = new double[4];
        var v = MemoryExtensions.AsSpan(buf, 1, 2);
        v[0] = x * y;
        return buf[1] * x;
    }
}
