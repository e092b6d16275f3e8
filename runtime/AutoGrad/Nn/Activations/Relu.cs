using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>Rectified linear unit max(x, 0), elementwise (NaN stays NaN).</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.Relu, "Relu")]
    [CustomPullback(nameof(ReluPullback), ForwardInto = nameof(ReluInto))]
    public static Tensor Relu(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        ReluInto(ref result, x, OpSite.FromCaller(nameof(Relu), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Relu(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ReluInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        TensorPrimitives.Max(x.Span, 0f, y.Span);
    }

    /// <summary>dX (+)= dResult where the output is positive, 0 elsewhere (the subgradient at 0 is 0).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void ReluPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            Elementwise.Map(new ReluGradient(), dResult.Span, result.Span, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
