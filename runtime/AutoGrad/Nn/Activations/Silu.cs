using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Sigmoid linear unit (swish) x·sigmoid(x), elementwise.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "Silu")]
    [CustomPullback(nameof(SiluPullback), ForwardInto = nameof(SiluInto))]
    public static Tensor Silu(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        SiluInto(ref result, x, OpSite.FromCaller(nameof(Silu), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Silu(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SiluInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        SigmoidKernel.Apply(x.Span, y.Span);
        Elementwise.Map(new SiluForward(), x.Span, y.Span, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= dResult·s·(1 + x·(1 − s)) with s = sigmoid(x) recomputed (x·s cannot be divided back safely at x = 0).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SiluPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            var s = Scratch.Get(0, x.Length);
            SigmoidKernel.Apply(x.Span, s);
            Elementwise.Map(new SiluGradient(), dResult.Span, x.Span, s, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
