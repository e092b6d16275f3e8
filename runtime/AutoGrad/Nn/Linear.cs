using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

public static partial class Nn
{
    /// <summary>A fully connected layer: <c>x·wᵀ + b</c>.</summary>
    /// <param name="x">Inputs, <c>[batch, in]</c>.</param>
    /// <param name="w">Weights, <c>[out, in]</c> (one row per output unit, as in PyTorch).</param>
    /// <param name="b">Bias, <c>[out]</c>.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="wExpression">The argument passed as <paramref name="w"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <returns><c>[batch, out]</c>.</returns>
    [CustomPullback(nameof(LinearPullback), ForwardInto = nameof(LinearInto))]
    public static Tensor Linear(Tensor x, Tensor w, Tensor b,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(w))] string wExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "")
    {
        Tensor? result = null;
        LinearInto(ref result, x, w, b, OpSite.FromCaller(nameof(Linear), file, line, xExpression, wExpression, bExpression));
        return result!;
    }

    /// <summary>Writes <c>x·wᵀ + b</c> into <paramref name="result"/> (bias added in the GEMM's epilogue).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LinearInto(ref Tensor? result, Tensor x, Tensor w, Tensor b, OpSite site) =>
        LinearInto(ref result, x, w, b, site, relu: false);

    /// <summary>The linear layer, with <c>max(·, 0)</c> applied by the product itself when <paramref name="relu"/>.</summary>
    internal static unsafe void LinearInto(ref Tensor? result, Tensor x, Tensor w, Tensor b, OpSite site, bool relu)
    {
        CheckLinear(x, w, b, site);
        int batch = x.Dim(0), inputs = x.Dim(1), outputs = w.Dim(0);
        Tensor y = Tensor.EnsureShape(ref result, [batch, outputs]);
        Gemm.Multiply(false, true, batch, outputs, inputs, x.Span, inputs, w.Span, inputs, y.Span, outputs, false, b.Span,
            default, false, SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism, null, relu);
    }

    /// <summary>
    /// The derivative of <see cref="Linear"/>: <c>dX = dY·w</c>, <c>dW = dYᵀ·x</c>, <c>dB = Σ_batch dY</c>. The bias
    /// gradient is summed while the GEMM packs dYᵀ for dW, so it costs no extra pass over dY; the weight gradient's
    /// probe reading (<paramref name="dWReading"/>) is taken in that GEMM's epilogue.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LinearPullback(
        Tensor x, Tensor w, Tensor b, Tensor result, Tensor dResult, GradTarget dX, GradTarget dW, GradTarget dB, OpSite site,
        GradientReading dXReading = default, GradientReading dWReading = default, GradientReading dBReading = default)
    {
        CheckLinear(x, w, b, site);
        OpChecks.Result(result, x.Dim(0), w.Dim(0), site);
        OpChecks.ResultGradient(dResult, result, site);
        CheckLinearGradients(x, w, b, dX, dW, dB, site);
        LinearBackward(x, w, dResult.Span, dX, dW, dB, dXReading, dWReading, dBReading);
    }

    /// <summary>The three products of a linear layer's backward pass for a given <c>dY</c> (possibly already
    /// multiplied by an activation's derivative), with the gradients' probe readings.</summary>
    internal static void LinearBackward(
        Tensor x, Tensor w, ReadOnlySpan<float> dY, GradTarget dX, GradTarget dW, GradTarget dB,
        GradientReading dXReading, GradientReading dWReading, GradientReading dBReading)
    {
        int batch = x.Dim(0), inputs = x.Dim(1), outputs = w.Dim(0);
        LayerGradients.WeightAndBias(dY, batch, outputs, x.Span, inputs, inputs, dW, dB, dWReading, dBReading);
        if (dX.IsActive)
        {
            LayerGradients.Input(dY, batch, outputs, w.Span, inputs, dX.Tensor!.Span, inputs, dX.IsAccumulate);
            dXReading.Record(dX.Tensor!.Span);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckLinear(Tensor x, Tensor w, Tensor b, OpSite site)
    {
        OpChecks.Matrix(x, site, 0, "x", "batch, features");
        OpChecks.Matrix(w, site, 1, "w", "outputs, inputs");
        if (x.Dim(1) != w.Dim(1))
        {
            ThrowFeatures(x, w, site);
        }
        OpChecks.Vector(b, w.Dim(0), site, 2, "b", "outputs", w, 1, "w");
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowFeatures(Tensor x, Tensor w, OpSite site)
    {
        string xName = site.Argument(0, "x"), wName = site.Argument(1, "w");
        throw new ShapeMismatchException(
            site,
            $"{xName} has {x.Dim(1)} features but {wName} expects {w.Dim(1)} ({xName} is {x.ShapeString}, {wName} is {w.ShapeString})");
    }

    private static void CheckLinearGradients(Tensor x, Tensor w, Tensor b, GradTarget dX, GradTarget dW, GradTarget dB, OpSite site)
    {
        OpChecks.Gradient(dX, x, site, 0, "x");
        OpChecks.Gradient(dW, w, site, 1, "w");
        OpChecks.Gradient(dB, b, site, 2, "b");
    }
}
