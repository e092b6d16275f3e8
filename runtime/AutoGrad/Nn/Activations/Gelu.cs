using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Gaussian error linear unit x·Φ(x), the exact (erf) form PyTorch uses by default.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "Gelu")]
    [CustomPullback(nameof(GeluPullback), ForwardInto = nameof(GeluInto))]
    public static Tensor Gelu(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        GeluInto(ref result, x, OpSite.FromCaller(nameof(Gelu), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Gelu(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void GeluInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        Elementwise.Map(new GeluForward(), x.Span, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= dResult·(Φ(x) + x·φ(x)).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void GeluPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            // φ needs exp, which TensorPrimitives vectorizes: e = exp(−x²/2) in one scratch buffer, then one fused pass.
            var e = Scratch.Get(0, x.Length);
            TensorPrimitives.Multiply(x.Span, x.Span, e);
            TensorPrimitives.Multiply(e, -0.5f, e);
            TensorPrimitives.Exp(e, e);
            Elementwise.Map(new GeluGradient(), dResult.Span, x.Span, e, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
