using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>The same elements with another shape, as a view sharing x's storage. One dimension may be -1.</summary>
    /// <param name="x">The tensor.</param>
    /// <param name="shape">The new shape (rank 1 to 4), with the same number of elements.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="shapeExpression">The argument passed as <paramref name="shape"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(ReshapePullback), ForwardInto = nameof(ReshapeInto))]
    public static Tensor Reshape(Tensor x, [NoGrad] ReadOnlySpan<int> shape,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(shape))] string shapeExpression = "")
    {
        Tensor? result = null;
        ReshapeInto(ref result, x, shape, OpSite.FromCaller(nameof(Reshape), file, line, xExpression, shapeExpression));
        return result!;
    }

    /// <summary>Points <paramref name="result"/> at x's storage with the new shape.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ReshapeInto(ref Tensor? result, Tensor x, ReadOnlySpan<int> shape, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        if (shape.Length is < 1 or > Tensor.MaxRank)
        {
            throw new ShapeMismatchException(site, $"a shape has 1 to {Tensor.MaxRank} dimensions but {Tensor.FormatShape(shape)} has {shape.Length}");
        }
        Span<int> resolved = stackalloc int[shape.Length];
        Views.Resolve(x, shape, resolved, site);
        Views.Into(ref result, x, resolved);
    }

    /// <summary>dX (+)= dResult, read with x's shape.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ReshapePullback(Tensor x, ReadOnlySpan<int> shape, Tensor result, Tensor dResult, GradTarget dX, OpSite site) =>
        Views.Backward(x, result, dResult, dX, site);
}
