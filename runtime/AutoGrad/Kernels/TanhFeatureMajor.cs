using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// A fused tanh layer's activation when its product ran feature-major (<c>zᵀ = W·xᵀ</c>, <c>[outputs, batch]</c>):
/// <c>yᵀ = tanh(zᵀ + b)</c> in place, one bias value per row, and <c>y</c> (batch-major) written from it in 16×16
/// blocks, with the saturation count. The values are <see cref="TanhKernel"/>'s, and <c>(z + b)</c> is rounded as the
/// GEMM's bias epilogue rounds it, so both layouts hold the bits the batch-major path computes.
/// </summary>
internal static unsafe class TanhFeatureMajor
{
    /// <summary>
    /// Whether a layer of these shapes runs feature-major: AVX-512 and whole 16×16 blocks, and a product that the packed
    /// GEMM computes in one k block either way round (at most <see cref="GemmBlocking.Kc"/> inputs, more than 32³
    /// multiply-adds), so each output is the same chain of FMAs from zero as in the batch-major product.
    /// </summary>
    public static bool Suits(int outputs, int batch, int inputs) =>
        Transpose16x16.IsSupported && outputs % 16 == 0 && batch % 16 == 0 && outputs > 0 && batch > 0
        && inputs > 4 && inputs <= GemmBlocking.Kc && (long)outputs * batch * inputs > 32 * 32 * 32;

    /// <summary>
    /// Runs the activation over <paramref name="yT"/> (<c>[outputs, batch]</c>, holding zᵀ) and writes <paramref name="y"/>
    /// (<c>[batch, outputs]</c>); returns how many outputs have |y| &gt; <paramref name="saturatedAbove"/>, or 0 without
    /// counting them when <paramref name="count"/> is false (no probe).
    /// </summary>
    public static long Run(float* yT, float* bias, int outputs, int batch, float* y, float saturatedAbove, bool count = true) =>
        count ? Run<Reading>(yT, bias, outputs, batch, y, saturatedAbove) : Run<NoReading>(yT, bias, outputs, batch, y, saturatedAbove);

    private static long Run<TMode>(float* yT, float* bias, int outputs, int batch, float* y, float saturatedAbove)
        where TMode : IReadingMode
    {
        long saturated = 0;
        Vector512<float> limit = Vector512.Create(saturatedAbove);
        for (int o = 0; o < outputs; o += 16)
        {
            for (int b = 0; b < batch; b += 16)
            {
                float* block = yT + (nint)o * batch + b;
                for (int r = 0; r < 16; r += 4)
                {
                    // Four rows at a time: independent chains, computed together (TanhKernel.Compute4).
                    float* row0 = block + (nint)r * batch, row1 = row0 + batch, row2 = row1 + batch, row3 = row2 + batch;
                    saturated += TanhKernel.Compute4<Simd512, Vector512<float>, TMode>(
                        Vector512.Load(row0) + Vector512.Create(bias[o + r]), Vector512.Load(row1) + Vector512.Create(bias[o + r + 1]),
                        Vector512.Load(row2) + Vector512.Create(bias[o + r + 2]), Vector512.Load(row3) + Vector512.Create(bias[o + r + 3]),
                        row0, row1, row2, row3, limit);
                }
                Transpose16x16.LoadTransposeStore(block, batch, y + (nint)b * outputs + o, outputs);
            }
        }
        return saturated;
    }
}
