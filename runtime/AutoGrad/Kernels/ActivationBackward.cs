using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// A fused layer's activation backward and its bias gradient in one pass: <c>dZ = op(dY, y)</c> over a
/// rows×cols batch, and <c>dB[j] (+)= Σ_i dZ[i, j]</c> summed while each dZ vector is still in a register.
/// </summary>
/// <remarks>
/// The bias gradient was a pass of its own over dZ (column sums, or the row sums the weight-gradient GEMM takes of
/// dZᵀ): 0.7% of the 21-layer tanh network's step. Each column sum runs the rows in ascending order onto +0 (or onto
/// dB when accumulating), as <see cref="Reductions.ColumnSums(ReadOnlySpan{float}, int, int, Span{float}, bool)"/> and
/// the GEMM's row sums do, so the bias gradient has the same bits on either path.
/// </remarks>
internal static unsafe class ActivationBackward
{
    /// <summary>Whether <see cref="Run{TOp}"/> fuses at this width: AVX-512 and whole vectors of columns.</summary>
    public static bool Fuses(int cols, SimdWidth width) =>
        width == SimdWidth.V512 && cols > 0 && cols % Vector512<float>.Count == 0;

    /// <summary>
    /// Writes <c>dZ = op(dY, y)</c> and adds (or writes) its column sums to <paramref name="biasGradient"/>, reading
    /// dY into <paramref name="readingOfDy"/> when it is not null. Falls back to two passes where
    /// <see cref="Fuses"/> says no.
    /// </summary>
    public static void Run<TOp>(
        TOp op, ReadOnlySpan<float> dY, ReadOnlySpan<float> y, Span<float> dZ, int rows, int cols,
        Span<float> biasGradient, bool accumulateBias, KernelReading* readingOfDy, SimdWidth? width = null)
        where TOp : struct, IBinaryOp
    {
        long n = (long)rows * cols;
        if (dY.Length != n || y.Length != n || dZ.Length != n || biasGradient.Length != cols)
        {
            throw new ArgumentException(
                $"An activation backward over {rows}×{cols} got dY {dY.Length}, y {y.Length}, dZ {dZ.Length} and {biasGradient.Length} bias values.");
        }
        SimdWidth w = width ?? SimdWidths.Best;
        if (!Fuses(cols, w))
        {
            if (readingOfDy != null)
            {
                Elementwise.Map(op, dY, y, dZ, accumulate: false, readingOfDy, w);
            }
            else
            {
                Elementwise.Map(op, dY, y, dZ, accumulate: false, w);
            }
            Reductions.ColumnSums(dZ, cols, default, rows, cols, biasGradient, accumulateBias, w);
            return;
        }
        fixed (float* pdy = dY, py = y, pdz = dZ, pb = biasGradient)
        {
            if (readingOfDy != null)
            {
                Fused<TOp, Reading>(op, pdy, py, pdz, rows, cols, pb, accumulateBias, readingOfDy);
            }
            else
            {
                Fused<TOp, NoReading>(op, pdy, py, pdz, rows, cols, pb, accumulateBias, null);
            }
        }
    }

    private static void Fused<TOp, TMode>(
        TOp op, float* dY, float* y, float* dZ, int rows, int cols, float* bias, bool accumulate, KernelReading* readingOfDy)
        where TOp : struct, IBinaryOp
        where TMode : IReadingMode
    {
        const int W = 16;
        // The reading in two halves: one reading's two sum chains took each row's four squares two deep, and the pass
        // waited on the FMA latency (the adjoint reading added 49–51% to the pass against 40–45% with four chains, in quiet processes).
        var reading = new TileReading<Simd512, Vector512<float>>();
        var reading23 = new TileReading<Simd512, Vector512<float>>();
        int j = 0;
        // Four vectors of columns per sweep down the rows: four independent sum chains, one load of dY and y each.
        for (; j + 4 * W <= cols; j += 4 * W)
        {
            Vector512<float> s0 = Start(bias + j, accumulate), s1 = Start(bias + j + W, accumulate);
            Vector512<float> s2 = Start(bias + j + 2 * W, accumulate), s3 = Start(bias + j + 3 * W, accumulate);
            for (int i = 0; i < rows; i++)
            {
                nint at = (nint)i * cols + j;
                Vector512<float> d0 = Vector512.Load(dY + at), d1 = Vector512.Load(dY + at + W);
                Vector512<float> d2 = Vector512.Load(dY + at + 2 * W), d3 = Vector512.Load(dY + at + 3 * W);
                if (TMode.Reads)
                {
                    reading.Add(d0, d1);
                    reading23.Add(d2, d3);
                }
                Vector512<float> z0 = op.Invoke(d0, Vector512.Load(y + at)), z1 = op.Invoke(d1, Vector512.Load(y + at + W));
                Vector512<float> z2 = op.Invoke(d2, Vector512.Load(y + at + 2 * W)), z3 = op.Invoke(d3, Vector512.Load(y + at + 3 * W));
                z0.Store(dZ + at);
                z1.Store(dZ + at + W);
                z2.Store(dZ + at + 2 * W);
                z3.Store(dZ + at + 3 * W);
                s0 += z0;
                s1 += z1;
                s2 += z2;
                s3 += z3;
            }
            s0.Store(bias + j);
            s1.Store(bias + j + W);
            s2.Store(bias + j + 2 * W);
            s3.Store(bias + j + 3 * W);
        }
        for (; j < cols; j += W)
        {
            Vector512<float> s = Start(bias + j, accumulate);
            for (int i = 0; i < rows; i++)
            {
                nint at = (nint)i * cols + j;
                Vector512<float> d = Vector512.Load(dY + at);
                if (TMode.Reads)
                {
                    reading.Add(d);
                }
                Vector512<float> z = op.Invoke(d, Vector512.Load(y + at));
                z.Store(dZ + at);
                s += z;
            }
            s.Store(bias + j);
        }
        if (TMode.Reads)
        {
            reading.AddTo(readingOfDy);
            reading23.AddTo(readingOfDy);
        }
    }

    /// <summary>A column sum's start: the existing bias gradient, or +0 (as the two-pass path's cleared sums).</summary>
    private static Vector512<float> Start(float* bias, bool accumulate) => accumulate ? Vector512.Load(bias) : Vector512<float>.Zero;
}
