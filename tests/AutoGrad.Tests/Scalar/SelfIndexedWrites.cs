using System;
using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

/// <summary>
/// Review helper-72: an element write whose index reads the array it writes (b[(int)b[0]] = ..., b[ArgMax(b)] = 0).
/// The reverse sweep, which runs after the write, computed the index again from the changed array: the adjoint went to
/// another element, the wrong element was restored, or the index fell outside the array.
/// </summary>
public static partial class SelfIndexedWrites
{
    [Differentiable]
    public static double StraightLine(double[] a, double x)
    {
        var b = new double[3];
        for (int i = 0; i < 3; i++) b[i] = a[i] * x;
        b[(int)b[0]] = b[1] * x;
        return b[0] * b[1] + b[2];
    }

    /// <summary>The index is 0 before the write and 5 after it: the reverse sweep indexed past the end.</summary>
    [Differentiable]
    public static double IndexLeavesTheArray(double[] a, double x)
    {
        var b = new double[3];
        for (int i = 0; i < 3; i++) b[i] = a[i] * x;
        b[(int)b[0]] += b[1] * b[2];
        return b[0] * b[1] + b[2];
    }

    /// <summary>A pure helper in the index.</summary>
    [Differentiable]
    public static double ThroughAHelper(double[] a, double x)
    {
        var b = new double[3];
        for (int i = 0; i < 3; i++) b[i] = a[i];
        double r = Math.Sin(b[ArgMax(b)] * x);
        b[ArgMax(b)] = 0;
        r += Math.Sin(b[ArgMax(b)] * x);
        return r;
    }

    /// <summary>Unrolled: each copy of the statement writes where b[3] points at that moment.</summary>
    [Differentiable]
    public static double Unrolled(double[] a, double x)
    {
        var b = new double[4];
        for (int i = 0; i < 4; i++) b[i] = a[i] * x;
        for (int t = 0; t < 3; t++) b[(int)b[3]] = b[t] * x + 1;
        return b[0] + b[1] * b[2] + b[3];
    }

    /// <summary>A loop of run-time length, the index taped per iteration; a scratch array rewritten every iteration.</summary>
    [Differentiable]
    public static double InALoop(double[] a, double x)
    {
        double s = 0;
        var tmp = new double[3];
        for (int i = 0; i < a.Length; i++)
        {
            tmp[0] = a[i] * x;
            tmp[1] = 0.5;
            tmp[2] = 2;
            tmp[(int)tmp[2]] = tmp[0] * tmp[0];
            s += tmp[2] * tmp[1] + tmp[0];
        }
        return s;
    }

    /// <summary>
    /// Review helper-74: an int array written at an index read from itself, in a loop. Its old value and the index
    /// share the int tape, and the index came back first: it read the old value, and the array was restored elsewhere.
    /// </summary>
    [Differentiable]
    public static double IntegerIndexes(double[] a, double x)
    {
        var idx = new int[2];
        double s = 1;
        for (int i = 0; i < a.Length; i++)
        {
            s = s * a[idx[1]] + x;
            idx[0] = 1;
            idx[idx[0]] = i % 2;
        }
        return s;
    }

    /// <summary>The same with increments, and an index that would leave the array if restored in the wrong place.</summary>
    [Differentiable]
    public static double IntegerIncrements(double[] a, double x)
    {
        var idx = new int[3];
        double s = 1;
        for (int i = 0; i < a.Length; i++)
        {
            idx[1] = i;
            idx[0] = 1;
            idx[idx[0]] = (i + 1) % a.Length;
            idx[2] = 1;
            idx[idx[2]] += 0;
            s = s * a[idx[1]] + x;
        }
        return s;
    }

    private static int ArgMax(ReadOnlySpan<double> s)
    {
        int best = 0;
        for (int i = 1; i < s.Length; i++)
        {
            if (s[i] > s[best]) best = i;
        }
        return best;
    }
}

public class SelfIndexedWriteTests
{
    private delegate double Gradient(double[] a, double x, Span<double> dA, out double dX);

    private static void Check(Func<double[], double, double> primal, Gradient gradient, params double[] theta)
    {
        int n = theta.Length - 1;
        GradCheck.Double(t => primal(t[..n], t[n]), t =>
        {
            var dA = new double[n];
            double v = gradient(t[..n], t[n], dA, out double dX);
            var g = new double[n + 1];
            dA.CopyTo(g, 0);
            g[n] = dX;
            return (v, g);
        }, theta);
    }

    [Fact]
    public void AWriteWhoseIndexReadsItsArrayGetsItsOwnElementsAdjoint() =>
        Check(SelfIndexedWrites.StraightLine, SelfIndexedWrites.StraightLineGradient, 0.2, 1.3, 2.0, 1.5);

    [Fact]
    public void AnIndexTheWriteMovesOutOfTheArrayIsNotRecomputed() =>
        Check(SelfIndexedWrites.IndexLeavesTheArray, SelfIndexedWrites.IndexLeavesTheArrayGradient, 0.2, 1.3, 2.0, 1.5);

    [Fact]
    public void AHelperInTheIndexIsCalledBeforeTheWriteOnly() =>
        Check(SelfIndexedWrites.ThroughAHelper, SelfIndexedWrites.ThroughAHelperGradient, 0.7, 0.3, -1.2, 1.5);

    [Fact]
    public void EachUnrolledCopyKeepsItsIndex() =>
        Check(SelfIndexedWrites.Unrolled, SelfIndexedWrites.UnrolledGradient, 0.2, 1.3, 2.0, 2.1, 1.5);

    [Fact]
    public void ALoopTapesTheIndexOfEachIteration() =>
        Check(SelfIndexedWrites.InALoop, SelfIndexedWrites.InALoopGradient, 0.2, 1.3, 2.0, 0.1, 1.5);

    [Fact]
    public void AnIntegerArraysIndexAndOldValueComeBackInOrder()
    {
        Check(SelfIndexedWrites.IntegerIndexes, SelfIndexedWrites.IntegerIndexesGradient, 0.7, -0.3, 0.9);
        Check(SelfIndexedWrites.IntegerIncrements, SelfIndexedWrites.IntegerIncrementsGradient, 0.7, -0.3, 0.5, 1.1, 0.9);
    }
}
