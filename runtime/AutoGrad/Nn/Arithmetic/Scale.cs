using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary><c>s·x</c>; both x and the scalar s are differentiable.</summary>
    /// <param name="x">The tensor, any shape.</param>
    /// <param name="s">The factor.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="sExpression">The argument passed as <paramref name="s"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(ScalePullback), ForwardInto = nameof(ScaleInto))]
    public static Tensor Scale(Tensor x, float s,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(s))] string sExpression = "")
    {
        Tensor? result = null;
        ScaleInto(ref result, x, s, OpSite.FromCaller(nameof(Scale), file, line, xExpression, sExpression));
        return result!;
    }

    /// <summary>Writes <c>s·x</c> into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ScaleInto(ref Tensor? result, Tensor x, float s, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        TensorPrimitives.Multiply(x.Span, s, y.Span);
    }

    /// <summary>dX (+)= s·dResult; dS += Σ dResult ⊙ x (a scalar gradient always accumulates).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ScalePullback(Tensor x, float s, Tensor result, Tensor dResult, GradTarget dX, ref float dS, OpSite site)
    {
        ActivationChecks.Backward(x, result, dResult, dX, site);
        if (dX.IsActive)
        {
            Grad.PutScaled(dX, dResult.Span, s);
        }
        dS += BlockedSums.Dot(dResult.Span, x.Span);
    }
}
