using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Logistic sigmoid 1 / (1 + e^(−x)), elementwise.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.Sigmoid, "Sigmoid")]
    [CustomPullback(nameof(SigmoidPullback), ForwardInto = nameof(SigmoidInto))]
    public static Tensor Sigmoid(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        SigmoidInto(ref result, x, OpSite.FromCaller(nameof(Sigmoid), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Sigmoid(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SigmoidInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        SigmoidKernel.Apply(x.Span, y.Span);
    }

    /// <summary>dX (+)= dResult·y·(1 − y), from the saved output.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SigmoidPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            Elementwise.Map(new SigmoidGradient(), dResult.Span, result.Span, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
