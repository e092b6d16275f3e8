using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Mean squared error, <c>mean((pred − target)²)</c> over all elements (PyTorch's <c>MSELoss</c>).</summary>
    /// <param name="pred">Predictions, any shape.</param>
    /// <param name="target">Targets, the same shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="predExpression">The argument passed as <paramref name="pred"/>, as written (filled in by the compiler).</param>
    /// <param name="targetExpression">The argument passed as <paramref name="target"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(MsePullback), ForwardInto = nameof(MseInto))]
    public static float Mse(Tensor pred, Tensor target,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(pred))] string predExpression = "", [CallerArgumentExpression(nameof(target))] string targetExpression = "") =>
        MseInto(pred, target, OpSite.FromCaller(nameof(Mse), file, line, predExpression, targetExpression));

    /// <summary>Returns the mean squared error.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static float MseInto(Tensor pred, Tensor target, OpSite site)
    {
        OpChecks.SameShape(pred, target, site, 0, "pred", 1, "target");
        var diff = Scratch.Get(0, pred.Length);
        TensorPrimitives.Subtract(pred.Span, target.Span, diff);
        return BlockedSums.SumOfSquares(diff) / pred.Length;
    }

    /// <summary>dPred (+)= 2·dResult·(pred − target)/n; dTarget (+)= the negative of that.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void MsePullback(Tensor pred, Tensor target, float result, float dResult, GradTarget dPred, GradTarget dTarget, OpSite site)
    {
        OpChecks.SameShape(pred, target, site, 0, "pred", 1, "target");
        OpChecks.Gradient(dPred, pred, site, 0, "pred");
        OpChecks.Gradient(dTarget, target, site, 1, "target");
        if (!dPred.IsActive && !dTarget.IsActive)
        {
            return;
        }
        var diff = Scratch.Get(0, pred.Length);
        TensorPrimitives.Subtract(pred.Span, target.Span, diff);
        float scale = 2f * dResult / pred.Length;
        if (dPred.IsActive)
        {
            Grad.PutScaled(dPred, diff, scale);
        }
        if (dTarget.IsActive)
        {
            Grad.PutScaled(dTarget, diff, -scale);
        }
    }
}
