using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

/// <summary>The activations <see cref="Nn.LinearActivation"/> fuses into a linear layer.</summary>
public enum FusedActivation
{
    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,

    /// <summary>1 / (1 + e^(−x)).</summary>
    Sigmoid,
}

public static partial class Nn
{
    /// <summary>
    /// <c>activation(x·wᵀ + b)</c> as one op: the same values as <c>Relu(Linear(x, w, b))</c> (or Tanh, Sigmoid), but
    /// the backward pass computes <c>dZ = dY ⊙ activation'</c> once and feeds it straight to the weight, bias and
    /// input gradients, instead of materializing the activation's gradient as a separate op.
    /// </summary>
    /// <param name="x">Inputs, <c>[batch, in]</c>.</param>
    /// <param name="w">Weights, <c>[out, in]</c>.</param>
    /// <param name="b">Bias, <c>[out]</c>.</param>
    /// <param name="activation">The activation applied to the layer's output.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <param name="xExpression">The argument passed as <paramref name="x"/>, as written (filled in by the compiler).</param>
    /// <param name="wExpression">The argument passed as <paramref name="w"/>, as written (filled in by the compiler).</param>
    /// <param name="bExpression">The argument passed as <paramref name="b"/>, as written (filled in by the compiler).</param>
    /// <param name="activationExpression">The argument passed as <paramref name="activation"/>, as written (filled in by the compiler).</param>
    [CustomPullback(nameof(LinearActivationPullback), ForwardInto = nameof(LinearActivationInto))]
    [FusionOf(nameof(Relu), nameof(Linear), Argument = FusedActivation.Relu)]
    [FusionOf(nameof(Tanh), nameof(Linear), Argument = FusedActivation.Tanh)]
    [FusionOf(nameof(Sigmoid), nameof(Linear), Argument = FusedActivation.Sigmoid)]
    public static Tensor LinearActivation(
        Tensor x, Tensor w, Tensor b, [NoGrad] FusedActivation activation,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0,
        [CallerArgumentExpression(nameof(x))] string xExpression = "",
        [CallerArgumentExpression(nameof(w))] string wExpression = "",
        [CallerArgumentExpression(nameof(b))] string bExpression = "",
        [CallerArgumentExpression(nameof(activation))] string activationExpression = "")
    {
        Tensor? result = null;
        LinearActivationInto(ref result, x, w, b, activation,
            OpSite.FromCaller(nameof(LinearActivation), file, line, xExpression, wExpression, bExpression, activationExpression));
        return result!;
    }

    /// <summary>
    /// Writes <c>activation(x·wᵀ + b)</c> into <paramref name="result"/> (the activation runs in place on the GEMM's
    /// output while it is still in cache) and reports the activation's probe reading to <paramref name="reading"/>
    /// (tanh counts saturation in the same pass).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LinearActivationInto(
        ref Tensor? result, Tensor x, Tensor w, Tensor b, FusedActivation activation, OpSite site, ActivationReading reading = default)
    {
        // The ReLU is applied by the product (to each finished tile of the packed path while it is in L1).
        LinearInto(ref result, x, w, b, site, relu: activation == FusedActivation.Relu);
        Span<float> y = result!.Span;
        switch (activation)
        {
            case FusedActivation.Relu:
                reading.Record(y, result.Dim(0), ActivationKind.Relu);
                break;
            case FusedActivation.Tanh:
                reading.RecordSaturated(TanhKernel.Apply(y, y, SaturationThresholds.TanhAbs, count: reading.IsActive), y.Length);
                break;
            case FusedActivation.Sigmoid:
                SigmoidKernel.Apply(y, y);
                reading.Record(y, result.Dim(0), ActivationKind.Sigmoid);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, $"{site.Describe()}: unknown activation.");
        }
    }

    /// <summary>
    /// <see cref="LinearActivationInto(ref Tensor?, Tensor, Tensor, Tensor, FusedActivation, OpSite, ActivationReading)"/>
    /// for a chain of fused layers: also keeps the result's feature-major copy in <paramref name="resultTransposed"/>
    /// (<c>[out, batch]</c>) for the next layer, and given the input's (<paramref name="xTransposed"/>, <c>[in, batch]</c>,
    /// from the previous layer), computes <c>zᵀ = w·xᵀ</c> with both operands read in place: the batch-major product
    /// <c>x·wᵀ</c> has to transpose w into panels first, a 64 × 64 layer's largest cost after its products. The
    /// generator calls it between fused layers whose outputs nothing writes to. <paramref name="xTransposed"/> is read
    /// only when it is the copy a chained layer wrote alongside x itself (any other, or null, is ignored), and its
    /// values must still be x's transpose: nothing may write to x between the two calls. Results have the same bits as
    /// the batch-major form. Takes tanh layers on AVX-512 with batch and outputs in whole 16s, at most 256 inputs and more
    /// than 32³ multiply-adds; otherwise it runs the batch-major form and marks <paramref name="resultTransposed"/> as
    /// no copy of this result, keeping its buffer for a later call of a shape that takes the chain (a loop alternating
    /// batches of 32 and 17 allocates nothing).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static unsafe void LinearActivationInto(
        ref Tensor? result, ref Tensor? resultTransposed, Tensor x, Tensor? xTransposed, Tensor w, Tensor b,
        FusedActivation activation, OpSite site, ActivationReading reading = default)
    {
        if (x is null || w is null || activation != FusedActivation.Tanh || x.Rank != 2 || w.Rank != 2 ||
            !TanhFeatureMajor.Suits(w.Dim(0), x.Dim(0), x.Dim(1)))
        {
            // The batch-major form, which also reports bad arguments.
            if (resultTransposed is not null) resultTransposed.TransposeOf = null;
            LinearActivationInto(ref result, x!, w!, b, activation, site, reading);
            return;
        }
        CheckLinear(x, w, b, site);
        int batch = x.Dim(0), inputs = x.Dim(1), outputs = w.Dim(0);
        Tensor y = Tensor.EnsureShape(ref result, [batch, outputs]);
        Tensor yT = Tensor.EnsureShape(ref resultTransposed, [outputs, batch]);
        if (xTransposed is not null && ReferenceEquals(xTransposed.TransposeOf, x))
        {
            Gemm.Multiply(false, false, outputs, batch, inputs, w.Span, inputs, xTransposed.Span, batch, yT.Span, batch);
        }
        else
        {
            // The first layer of a chain: its input is batch-major, so x (half of w's size at 32 × 64) is the operand packed.
            Gemm.Multiply(false, true, outputs, batch, inputs, w.Span, inputs, x.Span, inputs, yT.Span, batch);
        }
        fixed (float* pyT = yT.Span, pb = b.Span, py = y.Span)
        {
            reading.RecordSaturated(TanhFeatureMajor.Run(pyT, pb, outputs, batch, py, SaturationThresholds.TanhAbs, reading.IsActive), y.Length);
        }
        yT.TransposeOf = y;
    }

    /// <summary>
    /// dZ = dResult ⊙ activation'(result), then dX (+)= dZ·w, dW (+)= dZᵀ·x, dB (+)= Σ_batch dZ, with the probe
    /// readings of the layer output's adjoint (taken while dZ is computed from it) and of the gradients (the weight
    /// gradient's in its GEMM's epilogue). The bias gradient is summed in the pass that computes dZ where the kernel
    /// can (<see cref="ActivationBackward"/>), otherwise with the weight-gradient product.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [EditorBrowsable(EditorBrowsableState.Advanced)]
    public static void LinearActivationPullback(
        Tensor x, Tensor w, Tensor b, FusedActivation activation, Tensor result, Tensor dResult,
        GradTarget dX, GradTarget dW, GradTarget dB, OpSite site,
        GradientReading dResultReading = default,
        GradientReading dXReading = default, GradientReading dWReading = default, GradientReading dBReading = default)
    {
        CheckLinear(x, w, b, site);
        OpChecks.Result(result, x.Dim(0), w.Dim(0), site);
        OpChecks.ResultGradient(dResult, result, site);
        CheckLinearGradients(x, w, b, dX, dW, dB, site);
        if (!dX.IsActive && !dW.IsActive && !dB.IsActive)
        {
            return;
        }
        Span<float> dZ = Scratch.Get(0, result.Length);
        bool biasDone = activation switch
        {
            FusedActivation.Relu => ActivationGradient(new ReluGradient(), dResult, result, dZ, dB, dResultReading),
            FusedActivation.Tanh => ActivationGradient(new TanhGradient(), dResult, result, dZ, dB, dResultReading),
            FusedActivation.Sigmoid => ActivationGradient(new SigmoidGradient(), dResult, result, dZ, dB, dResultReading),
            _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, $"{site.Describe()}: unknown activation."),
        };
        if (biasDone)
        {
            LinearBackward(x, w, dZ, dX, dW, GradTarget.None, dXReading, dWReading, default);
            dBReading.Record(dB.Tensor!.Span);
        }
        else
        {
            LinearBackward(x, w, dZ, dX, dW, dB, dXReading, dWReading, dBReading);
        }
    }

    /// <summary>
    /// dZ = dResult ⊙ activation'(result), reading dResult for its probe in the same pass when asked to, and with the
    /// bias gradient (Σ_batch dZ) summed in that pass when the kernel can (<see cref="ActivationBackward"/>). Returns
    /// whether it wrote the bias gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool ActivationGradient<TOp>(TOp gradient, Tensor dResult, Tensor result, Span<float> dZ, GradTarget dB, GradientReading dResultReading)
        where TOp : struct, IBinaryOp
    {
        int rows = result.Dim(0), cols = result.Dim(1);
        bool fuseBias = dB.IsActive && ActivationBackward.Fuses(cols, SimdWidths.Best);
        if (dResultReading.IsActive)
        {
            GradTarget fusedBias = fuseBias ? dB : GradTarget.None;
            ActivationGradientReading(gradient, dResult, result, in dZ, rows, cols, in fusedBias, in dResultReading);
        }
        else if (fuseBias)
        {
            ActivationBackward.Run(gradient, dResult.Span, result.Span, dZ, rows, cols, dB.Tensor!.Span, dB.IsAccumulate, null);
        }
        else
        {
            Elementwise.Map(gradient, dResult.Span, result.Span, dZ, accumulate: false);
        }
        return fuseBias;
    }

    /// <summary>
    /// <see cref="ActivationGradient{TOp}"/> with the reading: not inlined, so the pullback's frame does not set up the
    /// reading's 200-byte accumulator on steps without probes. Structs are passed by reference: by value, dZ's span
    /// was spilled as two 8-byte stores and reloaded as one 16-byte load, which stalls store forwarding (0.25% of the
    /// probed 21-layer step, in-process A/B, five processes).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit] // the reading clears itself; the frame's zeroing was a second pass over it
    private static unsafe void ActivationGradientReading<TOp>(
        TOp gradient, Tensor dResult, Tensor result, scoped in Span<float> dZ, int rows, int cols, in GradTarget dB, in GradientReading dResultReading)
        where TOp : struct, IBinaryOp
    {
        var reading = new KernelReading();
        if (dB.IsActive)
        {
            ActivationBackward.Run(gradient, dResult.Span, result.Span, dZ, rows, cols, dB.Tensor!.Span, dB.IsAccumulate, &reading);
        }
        else
        {
            Elementwise.Map(gradient, dResult.Span, result.Span, dZ, accumulate: false, &reading);
        }
        dResultReading.Complete(dResult.Span, ref reading);
    }
}
