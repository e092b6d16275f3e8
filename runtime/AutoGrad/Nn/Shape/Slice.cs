using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Columns [start, start + length) of the last axis, copied: <c>[.., n]</c> → <c>[.., length]</c>.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="start">The first column.</param>
    /// <param name="length">How many columns.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="startExpression">The argument passed as <paramref name="start"/>, as written (filled in by the compiler).</param>
    /// <param name="lengthExpression">The argument passed as <paramref name="length"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(SlicePullback), ForwardInto = nameof(SliceInto))]
    public static Tensor Slice(Tensor x, [NoGrad] int start, [NoGrad] int length,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(start))] string startExpression = "",
        [CallerArgumentExpression(nameof(length))] string lengthExpression = "")
    {
        Tensor? result = null;
        SliceInto(ref result, x, start, length, OpSite.FromCaller(nameof(Slice), file, line, xExpression, startExpression, lengthExpression));
        return result!;
    }

    /// <summary>Writes the columns into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SliceInto(ref Tensor? result, Tensor x, int start, int length, OpSite site)
    {
        CheckSlice(x, start, length, site);
        Span<int> shape = stackalloc int[x.Rank];
        Columns.WithWidth(x, length, shape);
        Tensor y = Tensor.EnsureShape(ref result, shape);
        Columns.Copy(x.Span, x.Dim(-1), start, y.Span, length, 0, length, OpChecks.Rows(x), accumulate: false);
    }

    /// <summary>dX (+)= dResult in the sliced columns; with overwrite, the other columns become 0.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SlicePullback(Tensor x, int start, int length, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        CheckSlice(x, start, length, site);
        OpChecks.Result(result, x, length, site);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.Gradient(dX, x, site, 0, "x");
        if (!dX.IsActive)
        {
            return;
        }
        if (!dX.IsAccumulate)
        {
            dX.Tensor!.Clear();
        }
        Columns.Copy(dResult.Span, length, 0, dX.Tensor!.Span, x.Dim(-1), start, length, OpChecks.Rows(x), dX.IsAccumulate);
    }

    private static void CheckSlice(Tensor x, int start, int length, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        // In long: start + length can overflow int (Slice(x, int.MaxValue, 2)).
        if (start < 0 || length < 0 || (long)start + length > x.Dim(-1))
        {
            throw new ShapeMismatchException(
                site,
                $"columns [{start}, {(long)start + length}) are outside {site.Argument(0, "x")}, which has {x.Dim(-1)} ({x.ShapeString})");
        }
    }
}
