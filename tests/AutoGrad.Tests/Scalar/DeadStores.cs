using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Values overwritten before anything reads them: their inputs are NaN or outside a function's domain, which the
/// primal never notices, so neither may the gradient.
/// </summary>
public static partial class DeadStores
{
    [Differentiable]
    public static double Overwritten(double x, [NoGrad] double c)
    {
        double y = x * c;
        y = x * 2;
        return y;
    }

    [Differentiable]
    public static double OutsideItsDomain(double x)
    {
        double a = Math.Acos(x + 1);
        a = x * x;
        return a;
    }

    [Differentiable]
    public static double InALoop(double w, [NoGrad] double[] data)
    {
        double s = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double t = w * data[i];
            t = w * 2;
            s += t;
        }
        return s;
    }

    [Differentiable]
    public static double AnElement(double w, [NoGrad] double c)
    {
        var a = new double[2];
        a[0] = w * c;
        a[1] = w;
        a[0] = w * 3;
        return a[0] + a[1];
    }

    /// <summary>A scalar made by tensor ops and overwritten unread: the ops that made it are dead too.</summary>
    [Differentiable]
    public static float MadeByOps(Tensor h, [NoGrad] Tensor c)
    {
        float s = Nn.Sum(Nn.Mul(h, c));
        s = Nn.Sum(Nn.Mul(h, h));
        return s;
    }

    /// <summary>A store read before it is overwritten is not dead.</summary>
    [Differentiable]
    public static double ReadThenOverwritten(double x)
    {
        double y = x * x;
        double z = y * 3;
        y = x;
        return y + z;
    }
}
