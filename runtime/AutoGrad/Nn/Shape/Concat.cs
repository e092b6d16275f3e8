using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Joins two tensors along the last axis: <c>[.., m]</c> and <c>[.., n]</c> give <c>[.., m + n]</c>.</summary>
    /// <param name="a">The left part.</param>
    /// <param name="b">The right part; every axis but the last must match a's.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="aExpression">The argument passed as <paramref name="a"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(ConcatPullback), ForwardInto = nameof(ConcatInto))]
    public static Tensor Concat(Tensor a, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(a))] string aExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        ConcatInto(ref result, a, b, OpSite.FromCaller(nameof(Concat), file, line, aExpression, bExpression));
        return result!;
    }

    /// <summary>Writes a and b side by side into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ConcatInto(ref Tensor? result, Tensor a, Tensor b, OpSite site)
    {
        CheckConcat(a, b, site);
        int wa = a.Dim(-1), wb = b.Dim(-1), rows = OpChecks.Rows(a);
        Span<int> shape = stackalloc int[a.Rank];
        Columns.WithWidth(a, wa + wb, shape);
        Tensor y = Tensor.EnsureShape(ref result, shape);
        Columns.Copy(a.Span, wa, 0, y.Span, wa + wb, 0, wa, rows, accumulate: false);
        Columns.Copy(b.Span, wb, 0, y.Span, wa + wb, wa, wb, rows, accumulate: false);
    }

    /// <summary>dA (+)= the left columns of dResult, dB (+)= the right columns.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ConcatPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        CheckConcat(a, b, site);
        OpChecks.Result(result, a, a.Dim(-1) + b.Dim(-1), site);
        OpChecks.ResultGradient(dResult, result, site);
        OpChecks.Gradient(dA, a, site, 0, "a");
        OpChecks.Gradient(dB, b, site, 1, "b");
        int wa = a.Dim(-1), wb = b.Dim(-1), rows = OpChecks.Rows(a);
        if (dA.IsActive)
        {
            Columns.Copy(dResult.Span, wa + wb, 0, dA.Tensor!.Span, wa, 0, wa, rows, dA.IsAccumulate);
        }
        if (dB.IsActive)
        {
            Columns.Copy(dResult.Span, wa + wb, wa, dB.Tensor!.Span, wb, 0, wb, rows, dB.IsAccumulate);
        }
    }

    private static void CheckConcat(Tensor a, Tensor b, OpSite site)
    {
        OpChecks.NotNull(a, site, 0, "a");
        OpChecks.NotNull(b, site, 1, "b");
        bool leadingMatch = a.Rank == b.Rank && a.Shape[..^1].SequenceEqual(b.Shape[..^1]);
        if (!leadingMatch)
        {
            string aName = site.Argument(0, "a"), bName = site.Argument(1, "b");
            throw new ShapeMismatchException(
                site,
                $"{aName} has shape {a.ShapeString} but {bName} has shape {b.ShapeString}; all axes but the last must match");
        }
    }
}
