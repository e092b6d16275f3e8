using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Counted loops whose tape traffic goes through a span reserved before the loop (one per tape pushed the same number
/// of times by every iteration), and near misses that keep Push and Pop: the gradients must agree either way.
/// </summary>
public static partial class TapeSegments
{
    /// <summary>
    /// The branch tape gets a span; the value tape keeps Push and Pop, since an iteration saves h twice, or three times
    /// when the branch squares it.
    /// </summary>
    [Differentiable]
    public static double TwoPerIteration(double[] w, int n)
    {
        double h = 0.5;
        for (int t = 0; t < n; t++)
        {
            h = Math.Tanh(w[t] * h + 0.3);
            if (h > 0) h = h * h;
        }
        return h;
    }

    /// <summary>Both arms overwrite s, each saving it once: a span for the value tape and one for the branch tape.</summary>
    [Differentiable]
    public static double BothArmsSave(double[] w, int n)
    {
        double s = 1.0;
        for (int i = 0; i < n; i++)
        {
            if (w[i] > 0)
            {
                s = s * w[i] + Math.Sin(s);
            }
            else
            {
                s += w[i];
            }
        }
        return s * s;
    }

    /// <summary>
    /// The inner loop pushes to the same tape as the outer one, so the outer keeps Push and Pop; the inner loop, whose
    /// bound is the outer counter, gets a span each time it runs.
    /// </summary>
    [Differentiable]
    public static double NestedOnOneTape(double[] w, int n)
    {
        double s = 0.25;
        for (int i = 0; i < n; i++)
        {
            s = Math.Sin(s + w[i]);
            for (int j = 0; j < i; j++)
            {
                s = s * w[j] + 0.1;
            }
        }
        return s;
    }

    /// <summary>A downward loop with stride 2 and an odd or even count of values.</summary>
    [Differentiable]
    public static double DownwardByTwo(double[] w, int n)
    {
        double p = 1.0;
        for (int i = n - 1; i >= 0; i -= 2)
        {
            p = p * Math.Exp(w[i] * 0.5) - w[i] * p;
        }
        return p;
    }

    /// <summary>A loop whose trip count is not known before it runs keeps Push and Pop.</summary>
    [Differentiable]
    public static double UntilSmall(double[] w, int n)
    {
        double s = 2.0;
        int i = 0;
        while (i < n && s > 0.01)
        {
            s = s * Math.Cos(w[i]);
            i++;
        }
        return s;
    }

    /// <summary>Two counted loops in a row, each with its own span on the same tape, then a joint reading.</summary>
    [Differentiable]
    public static double TwoLoopsOneTape(double[] w, int n)
    {
        double a = 1.0;
        for (int i = 0; i < n; i++) a = a * Math.Tanh(w[i]) + 0.5;
        double b = a;
        for (int i = 0; i < n; i++) b = Math.Sqrt(b * b + w[i] * w[i]);
        return a * b;
    }

    /// <summary>
    /// Not counted: the bound is written through a view inside the loop (review helper-55: the span reserved from the
    /// trip count before the loop was overrun, or over-reserved and popped from the wrong place).
    /// </summary>
    [Differentiable]
    public static double BoundGrowsThroughAView(double[] w, int n)
    {
        var lim = new double[1];
        var v = lim.AsSpan();
        lim[0] = n;
        double s = 0.5;
        for (int i = 0; i < (int)lim[0]; i++)
        {
            s = Math.Sin(s + w[i]);
            v[0] = lim[0] + 0.5;
        }
        return s;
    }

    [Differentiable]
    public static double BoundShrinksThroughAView(double[] w, int n)
    {
        var lim = new double[1];
        var v = lim.AsSpan();
        lim[0] = n;
        double s = 0.5;
        for (int i = 0; i < (int)lim[0]; i++)
        {
            s = Math.Sin(s + w[i]);
            v[0] = lim[0] - 1;
        }
        return s;
    }

    /// <summary>A stride whose trip count overflows int arithmetic (it ran once and gave dW[0] = 0).</summary>
    [Differentiable]
    public static double HugeStride(double[] w, int n)
    {
        double s = 0.5;
        for (int i = 0; i < n; i += 2147483647) s = Math.Sin(s + w[0]);
        return s;
    }

    /// <summary>The same through a view of an int array, which stays a call (review helper-57: wrong by 0.44 at n = 4).</summary>
    [Differentiable]
    public static double IntBoundShrinksThroughAView(double[] w, int n)
    {
        var lim = new int[2];
        lim[1] = n;
        var v = lim.AsSpan();
        double s = 0.5;
        for (int i = 0; i < lim[1]; i += 2)
        {
            s = Math.Sin(s + w[i]);
            v[1] = lim[1] - 1;
        }
        return s;
    }

    /// <summary>A counter that wraps: from 5 below 10 by 2147483647 it runs 7 times (review helper-57).</summary>
    [Differentiable]
    public static double WrappingStride(double[] w, int a, int n)
    {
        double s = 0.5;
        for (int i = a; i < n; i += 2147483647) s = Math.Sin(s + w[0]);
        return s;
    }
}
