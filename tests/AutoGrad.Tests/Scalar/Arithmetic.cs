using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Expressions, locals, assignments and casts.</summary>
public static partial class Arithmetic
{
    private const double Scale = 1.5;

    [Differentiable]
    public static double ExpressionBodied(double x, double y) => 3 * x * x * y - y / x + 2;

    [Differentiable]
    public static double Locals(double x, double y)
    {
        var a = x * y;
        double b = a - y;
        b = b * b + a;          // reassignment reading itself
        a += b;                 // compound on a local
        a -= 0.5 * x;
        a *= y;
        a /= 1 + x * x;
        return -(a) + Scale * b;
    }

    [Differentiable]
    public static double UnaryAndParentheses(double x, double y) => -(x - (y - x)) * -(-y) + +x;

    [Differentiable]
    public static double Casts(double x, float y, int k)
    {
        float f = (float)x * y;         // double → float
        double d = f + (double)y * k;    // float → double, int → double
        return d * x + k / 2 + (double)(k % 3);
    }

    [Differentiable]
    public static double IntCounters(double x, int n)
    {
        int k = 0;
        double s = 0;
        while (k < n)
        {
            s += x * k;
            k++;
        }
        k--;
        --k;
        ++k;
        return s + x * k;
    }

    [Differentiable]
    public static double ParameterReassigned(double x, double y)
    {
        x = x * y;
        y = y + x;
        x = x * x;
        return x + y;
    }

    [Differentiable]
    public static float FloatMethod(float x, float y)
    {
        float t = x * y + 1f;
        t *= t;
        return MathF.Sin(t) + x / y;
    }

    [Differentiable]
    public static double InactiveDeadNaN(double x)
    {
        // Dead code with an undefined derivative must not poison the gradient.
        double dead = Math.Acos(x);
        double unused = Math.Sqrt(-x);
        return x * x;
    }

    [Differentiable]
    public static double InactiveConstantNaN(double x, [NoGrad] double c)
    {
        // c is data; Math.Log(c) with c <= 0 is NaN but carries no derivative.
        double k = Math.Log(c) * 0 + 1;
        double nan = double.IsNaN(k) ? 1 : k;
        return x * nan;
    }
}
