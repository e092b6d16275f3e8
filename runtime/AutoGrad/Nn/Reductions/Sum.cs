using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>The sum of all elements.</summary>
    /// <param name="x">The tensor, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(SumPullback), ForwardInto = nameof(SumInto))]
    public static float Sum(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "") =>
        SumInto(x, OpSite.FromCaller(nameof(Sum), file, line, xExpression));

    /// <summary>Returns the sum of all elements.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static float SumInto(Tensor x, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        return BlockedSums.Sum(x.Span);
    }

    /// <summary>dX (+)= dResult in every element.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SumPullback(Tensor x, float result, float dResult, GradTarget dX, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        OpChecks.Gradient(dX, x, site, 0, "x");
        if (dX.IsActive)
        {
            Grad.PutConstant(dX, dResult);
        }
    }
}
