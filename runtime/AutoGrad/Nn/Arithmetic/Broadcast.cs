using System;
using System.ComponentModel;

namespace AutoGrad;

/// <summary>
/// The one broadcast the binary ops support: a second operand of the same shape as the first, or a rank-1 vector
/// as long as the first operand's last axis, applied to every row (a bias).
/// </summary>
internal static class Broadcast
{
    /// <summary>True when <paramref name="b"/> is a row vector broadcast over <paramref name="a"/>'s rows;
    /// false when the shapes are equal; otherwise throws.</summary>
    public static bool Check(Tensor a, Tensor b, OpSite site)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (OpChecks.Same(a, b))
        {
            return false;
        }
        if (b.Rank == 1 && a.Rank >= 2 && b.Length == a.Dim(-1))
        {
            return true;
        }
        string aName = site.Argument(0, "a"), bName = site.Argument(1, "b");
        throw new ShapeMismatchException(
            site,
            $"{aName} has shape {a.ShapeString} but {bName} has shape {b.ShapeString}; {bName} must have the same shape " +
            $"or be a vector [{a.Dim(-1)}] applied to every row");
    }

    /// <summary>Checks a binary op's pullback arguments; returns whether b is broadcast.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static bool CheckPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        bool broadcast = Check(a, b, site);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.SameShape(result, a, site, 0, "a", 0, "a");
        OpChecks.Gradient(dA, a, site, 0, "a");
        OpChecks.Gradient(dB, b, site, 1, "b");
        return broadcast;
    }

    /// <summary>Applies <paramref name="rowOp"/> to each row of a and the whole of b (or a and b at once when not broadcast).</summary>
    public static void Rows(Tensor a, Tensor b, Tensor result, bool broadcast, RowOp rowOp)
    {
        if (!broadcast)
        {
            rowOp(a.Span, b.Span, result.Span);
            return;
        }
        int cols = b.Length;
        Span<float> ys = result.Span;
        ReadOnlySpan<float> xs = a.Span;
        for (int start = 0; start < xs.Length; start += cols)
        {
            rowOp(xs.Slice(start, cols), b.Span, ys.Slice(start, cols));
        }
    }

    /// <summary>One row of a binary op (a static lambda, so no allocation per call).</summary>
    public delegate void RowOp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result);
}
