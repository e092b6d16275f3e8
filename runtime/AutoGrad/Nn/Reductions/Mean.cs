using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>The mean of all elements (NaN for an empty tensor).</summary>
    /// <param name="x">The tensor, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(MeanPullback), ForwardInto = nameof(MeanInto))]
    public static float Mean(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "") =>
        MeanInto(x, OpSite.FromCaller(nameof(Mean), file, line, xExpression));

    /// <summary>Returns the mean of all elements.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static float MeanInto(Tensor x, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        return BlockedSums.Sum(x.Span) / x.Length;
    }

    /// <summary>dX (+)= dResult / n in every element.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void MeanPullback(Tensor x, float result, float dResult, GradTarget dX, OpSite site)
    {
        OpChecks.NotNull(x, site, 0, "x");
        OpChecks.Gradient(dX, x, site, 0, "x");
        if (dX.IsActive)
        {
            Grad.PutConstant(dX, dResult / x.Length);
        }
    }
}
