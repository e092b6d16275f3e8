using System;
using System.Runtime.CompilerServices;
using AutoGrad.Kernels;
using AutoGrad.Probes;

namespace AutoGrad;

/// <summary>
/// The gradient products every affine layer shares (Linear, the fused LinearActivation and the recurrent cells):
/// given <c>dY</c> (already multiplied by any activation's derivative), the weight gradient <c>dYᵀ·x</c> with the
/// bias gradient summed while the GEMM packs dYᵀ, and the input gradient <c>dY·w</c>.
/// </summary>
internal static class LayerGradients
{
    /// <summary>
    /// dW (+)= dYᵀ·x and dB (+)= Σ_rows dY, for dY <c>[rows, outputs]</c> and x <c>[rows, inputs]</c> with row stride
    /// <paramref name="ldx"/> (x may be the left part of a wider state).
    /// </summary>
    public static void WeightAndBias(
        ReadOnlySpan<float> dY, int rows, int outputs, ReadOnlySpan<float> x, int inputs, int ldx, GradTarget dW, GradTarget dB,
        GradientReading dWReading = default, GradientReading dBReading = default)
    {
        if (dW.IsActive)
        {
            if (dWReading.IsActive)
            {
                Span<float> biasGradient = dB.IsActive ? dB.Tensor!.Span : default;
                WeightGradientReading(in dY, rows, outputs, in x, inputs, ldx, in dW, in biasGradient, dB.IsAccumulate, in dWReading);
            }
            else if (dB.IsActive)
            {
                Gemm.Multiply(
                    true, false, outputs, inputs, rows, dY, outputs, x, ldx, dW.Tensor!.Span, inputs, dW.IsAccumulate,
                    default, dB.Tensor!.Span, dB.IsAccumulate, SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism);
            }
            else
            {
                // The row sums' span is built in the call, not kept in a local: the local was stored as 8 + 4 bytes and
                // reloaded as 16 to pass it, which stalls store forwarding.
                Gemm.Multiply(
                    true, false, outputs, inputs, rows, dY, outputs, x, ldx, dW.Tensor!.Span, inputs, dW.IsAccumulate,
                    default, default, false, SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism);
            }
        }
        else if (dB.IsActive)
        {
            Reductions.ColumnSums(dY, rows, outputs, dB.Tensor!.Span, dB.IsAccumulate);
        }
        if (dB.IsActive)
        {
            dBReading.Record(dB.Tensor!.Span);
        }
    }

    /// <summary>
    /// The weight-gradient product with its probe reading taken in the GEMM's epilogue while each tile is in L1 (a
    /// method of its own so the reading's 200-byte accumulator is set up only when probes are on: the caller runs on
    /// every training step). Its arguments are passed by reference: copied onto the stack by value, the spans were stored
    /// as 8 + 4 bytes and read back as 16, which the store buffer cannot forward (0.25 points of the 21-layer tanh
    /// network's probe cost, in-process A/B, five processes).
    /// </summary>
    [SkipLocalsInit] // the reading clears itself; the frame's zeroing was a second pass over it
    private static unsafe void WeightGradientReading(
        scoped in ReadOnlySpan<float> dY, int rows, int outputs, scoped in ReadOnlySpan<float> x, int inputs, int ldx, in GradTarget dW,
        scoped in Span<float> biasGradient, bool accumulateBias, in GradientReading dWReading)
    {
        Span<float> weightGradient = dW.Tensor!.Span;
        var sums = new KernelReading();
        bool read = Gemm.Multiply(
            true, false, outputs, inputs, rows, dY, outputs, x, ldx, weightGradient, inputs, dW.IsAccumulate,
            default, biasGradient, accumulateBias, SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism, &sums);
        if (read)
        {
            dWReading.Complete(weightGradient, ref sums);
        }
        else
        {
            dWReading.Record(weightGradient);
        }
    }

    /// <summary>dX (+)= dY·w for w <c>[outputs, inputs]</c>, into rows of stride <paramref name="ldDx"/>.</summary>
    public static void Input(
        ReadOnlySpan<float> dY, int rows, int outputs, ReadOnlySpan<float> w, int inputs, Span<float> dX, int ldDx, bool accumulate) =>
        Gemm.Multiply(false, false, rows, inputs, outputs, dY, outputs, w, inputs, dX, ldDx, accumulate);
}
