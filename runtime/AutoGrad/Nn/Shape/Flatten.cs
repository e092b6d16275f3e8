using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Collapses every axis after the batch axis: <c>[batch, ...]</c> → <c>[batch, features]</c>, as a view.</summary>
    /// <param name="x">The tensor, rank 1 to 4 (a rank-1 tensor becomes <c>[1, n]</c>).</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(FlattenPullback), ForwardInto = nameof(FlattenInto))]
    public static Tensor Flatten(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        FlattenInto(ref result, x, OpSite.FromCaller(nameof(Flatten), file, line, xExpression));
        return result!;
    }

    /// <summary>Points <paramref name="result"/> at x's storage as <c>[batch, features]</c>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void FlattenInto(ref Tensor? result, Tensor x, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        int batch = x.Rank == 1 ? 1 : x.Dim(0);
        Views.Into(ref result, x, [batch, batch == 0 ? 0 : x.Length / batch]);
    }

    /// <summary>dX (+)= dResult, read with x's shape.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void FlattenPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site) =>
        Views.Backward(x, result, dResult, dX, site);
}
