using System;
using System.ComponentModel;
using System.Numerics.Tensors;
using AutoGrad.Kernels;

namespace AutoGrad;

/// <summary>Which operand of a binary op, if either, is a vector applied to every row of the other.</summary>
internal enum Broadcasting
{
    /// <summary>Both operands have one shape.</summary>
    None,

    /// <summary>b is a vector as long as a's last axis (a bias): <c>Add(h, b)</c>.</summary>
    SecondOverRows,

    /// <summary>a is a vector as long as b's last axis: <c>Sub(v, h)</c>.</summary>
    FirstOverRows,
}

/// <summary>
/// The one broadcast the binary ops support: operands of one shape, or a rank-1 vector as long as the other
/// operand's last axis, applied to every row, in either position (PyTorch broadcasts both ways too).
/// </summary>
internal static class Broadcast
{
    /// <summary>How <paramref name="a"/> and <paramref name="b"/> combine; throws when they do not.</summary>
    public static Broadcasting Check(Tensor a, Tensor b, OpSite site)
    {
        OpChecks.NotNull(a, site, 0, "a");
        OpChecks.NotNull(b, site, 1, "b");
        if (OpChecks.Same(a, b))
        {
            return Broadcasting.None;
        }
        if (b.Rank == 1 && a.Rank >= 2 && b.Length == a.Dim(-1))
        {
            return Broadcasting.SecondOverRows;
        }
        if (a.Rank == 1 && b.Rank >= 2 && a.Length == b.Dim(-1))
        {
            return Broadcasting.FirstOverRows;
        }
        string aName = site.Argument(0, "a"), bName = site.Argument(1, "b");
        throw new ShapeMismatchException(
            site,
            $"{aName} has shape {a.ShapeString} but {bName} has shape {b.ShapeString}; they must have the same shape, or one " +
            "must be a vector as long as the other's last axis (applied to every row)");
    }

    /// <summary>The operand whose shape the result has.</summary>
    public static Tensor Full(Tensor a, Tensor b, Broadcasting broadcasting) => broadcasting == Broadcasting.FirstOverRows ? b : a;

    /// <summary>Checks a binary op's pullback arguments; returns how the operands combined.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static Broadcasting CheckPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        Broadcasting broadcasting = Check(a, b, site);
        OpChecks.ResultGradient(dResult, result, site);
        int full = broadcasting == Broadcasting.FirstOverRows ? 1 : 0;
        OpChecks.SameShape(result, Full(a, b, broadcasting), site, full, full == 0 ? "a" : "b", full, full == 0 ? "a" : "b");
        OpChecks.Gradient(dA, a, site, 0, "a");
        OpChecks.Gradient(dB, b, site, 1, "b");
        return broadcasting;
    }

    /// <summary>Applies <paramref name="rowOp"/> to each row of the full operand with the whole vector (or to a and b at once).</summary>
    public static void Rows(Tensor a, Tensor b, Tensor result, Broadcasting broadcasting, RowOp rowOp)
    {
        Span<float> ys = result.Span;
        switch (broadcasting)
        {
            case Broadcasting.None:
                rowOp(a.Span, b.Span, ys);
                return;
            case Broadcasting.SecondOverRows:
                for (int start = 0; start < ys.Length; start += b.Length)
                {
                    rowOp(a.Span.Slice(start, b.Length), b.Span, ys.Slice(start, b.Length));
                }
                return;
            default:
                for (int start = 0; start < ys.Length; start += a.Length)
                {
                    rowOp(a.Span, b.Span.Slice(start, a.Length), ys.Slice(start, a.Length));
                }
                return;
        }
    }

    /// <summary>A vector operand's gradient: dResult (times <paramref name="weights"/>, when given) summed over the rows.</summary>
    public static void SumRows(Tensor dResult, ReadOnlySpan<float> weights, GradTarget target, float scale = 1f)
    {
        int cols = target.Tensor!.Length, rows = dResult.Length / Math.Max(cols, 1);
        if (scale == 1f)
        {
            if (weights.IsEmpty) Reductions.ColumnSums(dResult.Span, rows, cols, target.Tensor.Span, target.IsAccumulate);
            else Reductions.ColumnSums(dResult.Span, weights, rows, cols, target.Tensor.Span, target.IsAccumulate);
            return;
        }
        Span<float> sums = Scratch.Get(0, cols);
        if (weights.IsEmpty) Reductions.ColumnSums(dResult.Span, rows, cols, sums, accumulate: false);
        else Reductions.ColumnSums(dResult.Span, weights, rows, cols, sums, accumulate: false);
        Grad.PutScaled(target, sums, scale);
    }

    /// <summary>A full operand's gradient under a product with a vector: each row of dResult times <paramref name="vector"/>.</summary>
    public static void TimesVector(Tensor dResult, ReadOnlySpan<float> vector, GradTarget target)
    {
        Span<float> dst = target.Tensor!.Span;
        ReadOnlySpan<float> dy = dResult.Span;
        for (int start = 0; start < dy.Length; start += vector.Length)
        {
            Span<float> row = dst.Slice(start, vector.Length);
            if (target.IsAccumulate)
            {
                TensorPrimitives.MultiplyAdd(dy.Slice(start, vector.Length), vector, row, row);
            }
            else
            {
                TensorPrimitives.Multiply(dy.Slice(start, vector.Length), vector, row);
            }
        }
    }

    /// <summary>One row of a binary op (a static lambda, so no allocation per call).</summary>
    public delegate void RowOp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> result);
}
