using System;
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
    public static unsafe void WeightAndBias(
        ReadOnlySpan<float> dY, int rows, int outputs, ReadOnlySpan<float> x, int inputs, int ldx, GradTarget dW, GradTarget dB,
        GradientReading dWReading = default, GradientReading dBReading = default)
    {
        if (dW.IsActive)
        {
            Span<float> biasGradient = dB.IsActive ? dB.Tensor!.Span : default;
            Span<float> weightGradient = dW.Tensor!.Span;
            // The weight gradient's probe reading is taken in the GEMM's epilogue while each tile is in L1 (and the
            // reading is only set up when probes are on: this runs on every training step).
            KernelReading sums = default;
            if (dWReading.IsActive)
            {
                sums = new KernelReading();
            }
            bool read = Gemm.Multiply(
                true, false, outputs, inputs, rows, dY, outputs, x, ldx, weightGradient, inputs, dW.IsAccumulate,
                default, biasGradient, dB.IsAccumulate, SimdWidths.Best, KernelOptions.MaxDegreeOfParallelism,
                dWReading.IsActive ? &sums : null);
            if (read)
            {
                (double sumOfSquares, float maxAbs, float minAbs) = sums.Totals();
                dWReading.Complete(weightGradient, sumOfSquares, maxAbs, minAbs);
            }
            else
            {
                dWReading.Record(weightGradient);
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

    /// <summary>dX (+)= dY·w for w <c>[outputs, inputs]</c>, into rows of stride <paramref name="ldDx"/>.</summary>
    public static void Input(
        ReadOnlySpan<float> dY, int rows, int outputs, ReadOnlySpan<float> w, int inputs, Span<float> dX, int ldDx, bool accumulate) =>
        Gemm.Multiply(false, false, rows, inputs, outputs, dY, outputs, w, inputs, dX, ldDx, accumulate);
}
