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
        float sum = BlockedSums.Sum(x.Span);
        return float.IsFinite(sum) ? sum / x.Length : MeanPastFloatRange(x.Span, sum);
    }

    /// <summary>
    /// The mean when the float sum is not finite: of finite values whose sum passed float's range ([3e38, 3e38] summed to
    /// +∞, so their mean of 3e38 read ∞), summed again in double; with a NaN or infinite value, the float sum's mean
    /// as before. Only then, so the ordinary mean stays the float sum's.
    /// </summary>
    private static float MeanPastFloatRange(ReadOnlySpan<float> values, float floatSum)
    {
        double sum = 0;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return floatSum / values.Length;
            sum += v;
        }
        return (float)(sum / values.Length);
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
