using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Elementwise <c>a − b</c>; either may be a vector [n], taken row by row against the other, [.., n].</summary>
    /// <param name="a">The first operand: any shape, or a vector as long as b's last axis.</param>
    /// <param name="b">Same shape as a, or a vector as long as a's last axis.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="aExpression">The argument passed as <paramref name="a"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(SubPullback), ForwardInto = nameof(SubInto))]
    [Probes.ProbeContinuesLayer]
    public static Tensor Sub(Tensor a, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(a))] string aExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        SubInto(ref result, a, b, OpSite.FromCaller(nameof(Sub), file, line, aExpression, bExpression));
        return result!;
    }

    /// <summary>Writes <c>a − b</c> into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SubInto(ref Tensor? result, Tensor a, Tensor b, OpSite site)
    {
        Broadcasting broadcasting = Broadcast.Check(a, b, site);
        Broadcast.Rows(a, b, Tensor.EnsureLike(ref result, Broadcast.Full(a, b, broadcasting)), broadcasting, static (x, y, r) => TensorPrimitives.Subtract(x, y, r));
    }

    /// <summary>dA (+)= dResult; dB (+)= −dResult; a vector operand's summed over the rows.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SubPullback(Tensor a, Tensor b, Tensor result, Tensor dResult, GradTarget dA, GradTarget dB, OpSite site)
    {
        Broadcasting broadcasting = Broadcast.CheckPullback(a, b, result, dResult, dA, dB, site);
        if (dA.IsActive)
        {
            if (broadcasting == Broadcasting.FirstOverRows) Broadcast.SumRows(dResult, default, dA);
            else Grad.Put(dA, dResult.Span);
        }
        if (dB.IsActive)
        {
            if (broadcasting == Broadcasting.SecondOverRows) Broadcast.SumRows(dResult, default, dB, scale: -1f);
            else Grad.PutScaled(dB, dResult.Span, -1f);
        }
    }
}
