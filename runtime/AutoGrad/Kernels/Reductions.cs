using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// Reductions TensorPrimitives has no call for: sums down the columns of a row-major matrix (bias gradients, the
/// gradient of a broadcast operand, batch statistics), optionally weighted elementwise by a second matrix. Rows
/// are added in order onto the destination's value, the same order as the GEMM's fused row sums, so a bias
/// gradient has the same bits whichever path produced it.
/// </summary>
internal static unsafe class Reductions
{
    /// <summary><c>dst[j] (+)= Σ_i src[i, j]</c> over a rows×cols matrix.</summary>
    public static void ColumnSums(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst, bool accumulate) =>
        ColumnSums(src, cols, default, rows, cols, dst, accumulate);

    /// <summary><c>dst[j] (+)= Σ_i src[i, j]·weights[i, j]</c> over a rows×cols matrix.</summary>
    public static void ColumnSums(ReadOnlySpan<float> src, ReadOnlySpan<float> weights, int rows, int cols, Span<float> dst, bool accumulate) =>
        ColumnSums(src, cols, weights, rows, cols, dst, accumulate);

    /// <summary>
    /// The general form: <paramref name="src"/> has row stride <paramref name="ld"/>; <paramref name="weights"/> is empty
    /// (plain sums) or a rows×cols matrix with stride cols.
    /// </summary>
    public static void ColumnSums(
        ReadOnlySpan<float> src, int ld, ReadOnlySpan<float> weights, int rows, int cols, Span<float> dst, bool accumulate, SimdWidth? width = null)
    {
        long needed = rows == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (src.Length < needed || dst.Length < cols || (!weights.IsEmpty && weights.Length < (long)rows * cols))
        {
            throw new ArgumentException("Column-sum operands are shorter than the matrix they describe.");
        }
        if (!accumulate)
        {
            dst[..cols].Clear();
        }
        fixed (float* ps = src, pw = weights, pd = dst)
        {
            switch (width ?? SimdWidths.Best)
            {
                case SimdWidth.V512:
                    Run<Simd512, Vector512<float>>(ps, ld, pw, rows, cols, pd);
                    break;
                case SimdWidth.V256:
                    Run<Simd256, Vector256<float>>(ps, ld, pw, rows, cols, pd);
                    break;
                default:
                    Run<Simd128, Vector128<float>>(ps, ld, pw, rows, cols, pd);
                    break;
            }
        }
    }

    private static void Run<TSimd, TVec>(float* src, nint ld, float* weights, int rows, int cols, float* dst)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, j = 0;
        // Four vectors of columns stay in registers while the rows stream past: one load per element.
        for (; j + 4 * w <= cols; j += 4 * w)
        {
            TVec s0 = TSimd.Load(dst + j), s1 = TSimd.Load(dst + j + w), s2 = TSimd.Load(dst + j + 2 * w), s3 = TSimd.Load(dst + j + 3 * w);
            for (int i = 0; i < rows; i++)
            {
                float* row = src + i * ld + j;
                if (weights == null)
                {
                    s0 = TSimd.Add(s0, TSimd.Load(row));
                    s1 = TSimd.Add(s1, TSimd.Load(row + w));
                    s2 = TSimd.Add(s2, TSimd.Load(row + 2 * w));
                    s3 = TSimd.Add(s3, TSimd.Load(row + 3 * w));
                }
                else
                {
                    float* wr = weights + (nint)i * cols + j;
                    s0 = TSimd.Add(s0, TSimd.Multiply(TSimd.Load(row), TSimd.Load(wr)));
                    s1 = TSimd.Add(s1, TSimd.Multiply(TSimd.Load(row + w), TSimd.Load(wr + w)));
                    s2 = TSimd.Add(s2, TSimd.Multiply(TSimd.Load(row + 2 * w), TSimd.Load(wr + 2 * w)));
                    s3 = TSimd.Add(s3, TSimd.Multiply(TSimd.Load(row + 3 * w), TSimd.Load(wr + 3 * w)));
                }
            }
            TSimd.Store(dst + j, s0);
            TSimd.Store(dst + j + w, s1);
            TSimd.Store(dst + j + 2 * w, s2);
            TSimd.Store(dst + j + 3 * w, s3);
        }
        for (; j + w <= cols; j += w)
        {
            TVec s = TSimd.Load(dst + j);
            for (int i = 0; i < rows; i++)
            {
                TVec v = TSimd.Load(src + i * ld + j);
                s = TSimd.Add(s, weights == null ? v : TSimd.Multiply(v, TSimd.Load(weights + (nint)i * cols + j)));
            }
            TSimd.Store(dst + j, s);
        }
        for (; j < cols; j++)
        {
            float s = dst[j];
            for (int i = 0; i < rows; i++)
            {
                float v = src[i * ld + j];
                s += weights == null ? v : v * weights[(nint)i * cols + j];
            }
            dst[j] = s;
        }
    }
}
