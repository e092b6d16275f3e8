using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>Branches, loops and jumps.</summary>
public static partial class ControlFlow
{
    [Differentiable]
    public static double Conditional(double x, double y) => x > y ? x * y : (x < 0 ? -x : y * y);

    [Differentiable]
    public static double IfElseChain(double x, double y, int mode)
    {
        double r;
        if (x > 1 && y > 0)
        {
            r = x * y;
        }
        else if (x < -1 || !(y < 2))
        {
            r = Math.Sin(x) + y;
        }
        else if (mode % 2 == 0)
        {
            r = x * x * x;
        }
        else
        {
            r = y / (1 + x * x);
        }
        return r * r;
    }

    [Differentiable]
    public static double EarlyReturn(double x, double y)
    {
        if (x < 0)
        {
            return x * y;
        }
        double t = x * x;
        if (t > 4)
        {
            return t + y;
        }
        return t * y;
    }

    [Differentiable]
    public static double WhileLoop(double x, int n)
    {
        double p = 1;
        int i = 0;
        while (i < n)
        {
            p = p * x + 1;
            i++;
        }
        return p;
    }

    [Differentiable]
    public static double DoLoop(double x, int n)
    {
        double p = x;
        int i = 0;
        do
        {
            p = Math.Sin(p) * x;
            i += 1;
        }
        while (i < n);
        return p;
    }

    [Differentiable]
    public static double NestedLoops(ReadOnlySpan<double> w, int rows, int cols)
    {
        double total = 0;
        for (int r = 0; r < rows; r++)
        {
            double rowSum = 0;
            for (int c = 0; c < cols; c++)
            {
                rowSum += w[r * cols + c] * (c + 1);
            }
            total += rowSum * rowSum;
        }
        return total;
    }

    [Differentiable]
    public static double BreakAndContinue(ReadOnlySpan<double> w, int n, [NoGrad] double limit)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (i % 3 == 1)
            {
                continue;
            }
            s += w[i] * w[i];
            if (s > limit)
            {
                break;
            }
            s = s * 1.1;
        }
        return s;
    }

    [Differentiable]
    public static double ReturnFromLoop(ReadOnlySpan<double> w, int n)
    {
        double s = 1;
        for (int i = 0; i < n; i++)
        {
            s = s * w[i];
            if (Math.Abs(s) < 1e-3)
            {
                return s * 1000;
            }
        }
        return s;
    }

    [Differentiable]
    public static double UnrolledConstantLoop(ReadOnlySpan<double> w, double x)
    {
        double h = x;
        for (int l = 0; l < 4; l++)
        {
            h = Math.Tanh(w[l] * h + w[l + 4]);
        }
        return h;
    }

    [Differentiable]
    public static double CountingDown(ReadOnlySpan<double> w, int n)
    {
        double s = 0;
        for (int i = n - 1; i >= 0; i -= 2)
        {
            s = s * 0.5 + w[i] * i;
        }
        return s;
    }

    [Differentiable]
    public static double BranchInLoop(ReadOnlySpan<double> w, int n)
    {
        double h = 0.5;
        for (int i = 0; i < n; i++)
        {
            if (h * w[i] > 0)
            {
                h = h * w[i];
            }
            else
            {
                h = Math.Exp(h + w[i]);
            }
        }
        return h;
    }
}
