using System;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Top-level loops whose iterations may run their reverse sweep right after their forward sweep (accumulators with
/// an adjoint known before the loop, iteration-private locals and scratch arrays), and near misses that must not.
/// </summary>
public static partial class JointLoops
{
    /// <summary>Mean squared error: the tail divides the accumulator by a count the loop does not change.</summary>
    [Differentiable]
    public static double MeanSquaredError(ReadOnlySpan<double> w, [NoGrad] double[] x, [NoGrad] double[] y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double residual = w[0] * x[i] + w[1] - y[i];
            s += residual * residual;
        }
        return s / n;
    }

    /// <summary>The accumulators reach the result through an intermediate, with coefficients from before the loop.</summary>
    [Differentiable]
    public static double ThroughIntermediate(double a, double[] w, int n)
    {
        double scale = a * a;
        double s = 0;
        double t = 0;
        for (int i = 0; i < n; i++)
        {
            double u = Math.Sin(w[i] * a);
            s += u * scale;
            t -= w[i] * w[i];
        }
        double mean = -s / n + 2.0 * t;
        return 3.0 * mean + scale * mean + Math.Cos(a);
    }

    /// <summary>Not joint: the tail reads the accumulator through a non-linear function.</summary>
    [Differentiable]
    public static double NonLinearTail(double[] w, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++) s += w[i] * w[i];
        return Math.Sqrt(s) * s;
    }

    /// <summary>Not joint: a value the loop reads is overwritten after it (its adjoint would be reset).</summary>
    [Differentiable]
    public static double ReadValueOverwrittenAfter(double a, double[] w, int n)
    {
        double scale = a * 2;
        double s = 0;
        for (int i = 0; i < n; i++) s += scale * w[i] * w[i];
        scale = a * a * a;
        return s + scale;
    }

    /// <summary>Not joint: a counter carried from one iteration to the next must be restored for the reverse sweep.</summary>
    [Differentiable]
    public static double CarriedCounter(double[] w, int n)
    {
        double s = 0;
        int j = 0;
        for (int i = 0; i < n; i++)
        {
            s += w[j] * w[i];
            j = (j + 3) % w.Length;
        }
        return s;
    }

    /// <summary>Not joint: the product carries from one iteration to the next.</summary>
    [Differentiable]
    public static double CarriedProduct(double[] w, int n)
    {
        double p = 1;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            p *= w[i];
            s += p;
        }
        return s;
    }

    /// <summary>Joint: scratch arrays every iteration rewrites before reading, one inside nested loops.</summary>
    [Differentiable]
    public static double ScratchPerIteration(double[] w, [NoGrad] double[] x, int points, int d, int k)
    {
        var centered = new double[d];
        var terms = new double[k];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int c = 0; c < k; c++)
            {
                for (int j = 0; j < d; j++) centered[j] = x[p * d + j] - w[c * d + j];
                for (int j = 1; j < d; j++) centered[j] += 0.5 * centered[j - 1];
                double norm = 0;
                for (int j = 0; j < d; j++) norm += centered[j] * centered[j];
                terms[c] = -0.5 * norm;
            }
            double best = terms[0];
            for (int c = 1; c < k; c++)
            {
                if (terms[c] > best) best = terms[c];
            }
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(terms[c] - best);
            total += Math.Log(sum) + best;
        }
        return -total;
    }

    /// <summary>Two loops in a row: only the second is joint, because the second reads the first one's sum.</summary>
    [Differentiable]
    public static double TwoLoops(double[] w, int n)
    {
        double s1 = 0;
        for (int i = 0; i < n; i++) s1 += w[i];
        double s2 = 0;
        for (int i = 0; i < n; i++) s2 += s1 * w[i] * w[i];
        return s2 + s1;
    }

    /// <summary>
    /// Not joint: a break turns the loop's step into a guarded statement of its body, which the reverse sweep steps back.
    /// </summary>
    [Differentiable]
    public static float FloatWithBreak(float[] w, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (w[i] > 0.8f) break;
            s += Math.Tanh(w[i]) * w[i];
        }
        return (float)s * 0.5f;
    }

    /// <summary>Joint: a float method with a double accumulator and a branch in the loop.</summary>
    [Differentiable]
    public static float FloatWithBranch(float[] w, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            if (w[i] > 0.2f) s += w[i] * w[i];
            else s -= Math.Tanh(w[i]) * w[i];
        }
        return (float)s * 0.5f + w[0];
    }

    /// <summary>Not joint: a while loop steps its counter in the body, and the reverse sweep must step it back.</summary>
    [Differentiable]
    public static double While(double[] w, int n)
    {
        double s = 0;
        int i = 0;
        while (i < n)
        {
            s += Math.Exp(w[i]) * w[(i + 2) % n];
            i++;
        }
        return s;
    }

    /// <summary>Not joint (the counter again): a do-while loop that adds to two accumulators, one subtracted.</summary>
    [Differentiable]
    public static double DoWhile(double[] w, int n)
    {
        double s = 0;
        double t = 0;
        int i = 0;
        do
        {
            s += Math.Exp(w[i]);
            t -= w[i] * w[(i + 1) % n];
            i++;
        }
        while (i < n);
        return 2 * s - t;
    }

    /// <summary>Joint: an early return guards the loop, which then sits inside the guard the generator writes.</summary>
    [Differentiable]
    public static double GuardedSum(double[] w, int n)
    {
        if (n < 2) return w[0] * w[0];
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            s += Math.Sin(w[i]) * w[(i + 1) % n];
        }
        return 2 * s;
    }

    /// <summary>Not joint: the loop sits in a branch, and the code after the branch uses its sum non-linearly.</summary>
    [Differentiable]
    public static double BranchThenNonLinear(double[] w, int n)
    {
        double s = 0;
        if (n > 2)
        {
            for (int i = 0; i < n; i++)
            {
                s += w[i] * w[i];
            }
        }
        return Math.Sqrt(1 + s);
    }

    /// <summary>Joint, both loops: a data term and a penalty added to the same loss, used linearly at the end.</summary>
    [Differentiable]
    public static double DataAndPenalty(double[] w, [NoGrad] double[] x, int n)
    {
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double r = Math.Tanh(w[i] * x[i]) - 0.5;
            loss += r * r;
        }
        for (int i = 0; i < n; i++)
        {
            loss += 0.01 * w[i] * w[i];
        }
        return loss / n;
    }

    /// <summary>Joint: iteration-private locals reassigned within the iteration, and a small unrolled inner loop.</summary>
    [Differentiable]
    public static double ReassignedLocals(double[] w, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double a = w[i];
            a = Math.Sin(a) * a;
            double t = 0;
            for (int k = 0; k < 3; k++)
            {
                t = t * a + w[(i + k) % n];
            }
            a = a * t;
            s += a;
        }
        return s;
    }

    /// <summary>An accumulator an earlier loop also updates non-linearly (its values are saved for that loop's reverse).</summary>
    [Differentiable]
    public static double AccumulatorAfterARecurrence(double x, int n)
    {
        double s = 0.0;
        for (int i = 0; i < n; i++) s = s * x + 1.0;
        for (int i = 0; i < n; i++) s += x;
        return s;
    }

    /// <summary>A value the loop reads, added to after the loop.</summary>
    [Differentiable]
    public static double ReadThenIncremented(double x, double a, int n)
    {
        double s = 0.0;
        for (int i = 0; i < n; i++) s += x;
        x += a;
        return s;
    }

    /// <summary>
    /// A trailing step whose condition reads a value the iteration overwrites: it runs after the iteration's reverse,
    /// which restores t, so a joint loop would test the restored value (the loop is not run jointly).
    /// </summary>
    [Differentiable]
    public static double StepAfterRestore(double[] a, double x)
    {
        int n = a.Length;
        int j = 0;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double t = a[i] * x;
            t = Math.Sin(t) * 2;
            s += t * a[j % n];
            if (t > 0.5) j++;
        }
        return s;
    }

    /// <summary>A loop condition that reads an element of an array each iteration rewrites (and its reverse restores).</summary>
    [Differentiable]
    public static double ConditionOnPrivateArray(double[] a, double x)
    {
        int n = a.Length;
        var tmp = new double[n];
        int i = 0;
        double s = 0;
        while (i < n && tmp[1] < 3)
        {
            for (int j = 0; j < n; j++) tmp[j] = a[j] * x + i;
            tmp[1] = tmp[1] * tmp[1] * 10;
            s += tmp[1] * a[i];
            i++;
        }
        return s;
    }

    /// <summary>A trailing step that reads an inner loop's counter, which the inner loop's reverse steps back.</summary>
    [Differentiable]
    public static double StepAfterInnerLoop(double[] a, double x)
    {
        int n = a.Length;
        int k = 0;
        double s = 0;
        for (int i = 0; i < n; i++)
        {
            double u = x;
            int j = 0;
            while (j < 3)
            {
                u = Math.Sin(u) + a[(j + k) % n];
                j++;
            }
            s += u;
            if (j == 3) k++;
        }
        return s;
    }

    /// <summary>Not joint: a write through a view of the array the loop reads, after the loop (review helper-50).</summary>
    [Differentiable]
    public static double SliceWrittenAfter(double[] w, double y, int n)
    {
        Span<double> a = stackalloc double[3];
        for (int k = 0; k < 3; k++) a[k] = w[k];
        Span<double> v = a.Slice(1, 2);
        double s = 0;
        for (int i = 0; i < n; i++) s += a[i] * a[i];
        v[0] = y;
        return s + a[1];
    }

    /// <summary>Not joint: an addition through a view after the loop would pass on the loop's share of the adjoint.</summary>
    [Differentiable]
    public static double ViewIncrementedAfter(double[] w, double y, int n)
    {
        var a = new double[3];
        for (int k = 0; k < 3; k++) a[k] = w[k];
        var av = a.AsSpan(1, 2);
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.Sin(a[i]);
        av[0] += y;
        return s + a[1] * a[1];
    }

    /// <summary>Not joint: the same through a second reference to the array.</summary>
    [Differentiable]
    public static double AliasIncrementedAfter(double[] w, double y, int n)
    {
        var a = new double[3];
        for (int k = 0; k < 3; k++) a[k] = w[k];
        var b = a;
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.Sin(a[i]);
        b[1] += y;
        return s + a[1] * a[1];
    }

    /// <summary>Not joint: the loop reads a view; the array is overwritten under its own name after the loop.</summary>
    [Differentiable]
    public static double ViewReadArrayWrittenAfter(double[] w, double y, int n)
    {
        var a = new double[3];
        for (int k = 0; k < 3; k++) a[k] = w[k];
        var av = a.AsSpan(0, 3);
        double s = 0;
        for (int i = 0; i < n; i++) s += av[i] * av[i] * y;
        a[2] = a[2] * y;
        return s + a[2];
    }

    /// <summary>Joint, but the accumulator's coefficient after the loop is changed through a view before it is read.</summary>
    [Differentiable]
    public static double CoefficientChangedThroughView(double[] w, double x, int n)
    {
        var a = new double[2];
        a[0] = 1;
        a[1] = 2;
        var av = a.AsSpan(0, 2);
        double s = 0;
        for (int i = 0; i < n; i++) s += w[i] * w[i];
        av[1] = 7 * x;
        return s * a[1] + x;
    }
}
