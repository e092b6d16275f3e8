using System.ComponentModel;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>SELU's λ, from the paper (the value PyTorch uses).</summary>
    public const float SeluScale = 1.0507009873554804934193349852946f;

    /// <summary>SELU's α, from the paper (the value PyTorch uses).</summary>
    public const float SeluAlpha = 1.6732632423543772848170429916717f;

    /// <summary>Scaled ELU (Klambauer et al. 2017): λx where positive, λα(eˣ − 1) elsewhere, λ ≈ 1.0507, α ≈ 1.6733.</summary>
    /// <param name="x">The input, any shape.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    [ProbeActivation(ActivationKind.None, "Selu")]
    [CustomPullback(nameof(SeluPullback), ForwardInto = nameof(SeluInto))]
    public static Tensor Selu(Tensor x,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "")
    {
        Tensor? result = null;
        SeluInto(ref result, x, OpSite.FromCaller(nameof(Selu), file, line, xExpression));
        return result!;
    }

    /// <summary>Writes Selu(x) into <paramref name="result"/>.</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SeluInto(ref Tensor? result, Tensor x, OpSite site)
    {
        Tensor y = ActivationChecks.Output(ref result, x, site);
        TensorPrimitives.ExpM1(x.Span, y.Span);
        Elementwise.Map(new EluForward(SeluScale, SeluAlpha), x.Span, y.Span, y.Span, accumulate: false);
    }

    /// <summary>dX (+)= λ·dResult where x is positive, dResult·λα·eˣ elsewhere (from x: from the output it would cancel for very negative x).</summary>
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void SeluPullback(Tensor x, Tensor result, Tensor dResult, GradTarget dX, OpSite site)
    {
        if (ActivationChecks.Backward(x, result, dResult, dX, site))
        {
            var e = Scratch.Get(0, x.Length);
            TensorPrimitives.Exp(x.Span, e);
            Elementwise.Map(new EluGradient(SeluScale, SeluAlpha), dResult.Span, x.Span, e, dX.Tensor!.Span, dX.IsAccumulate);
        }
    }
}
