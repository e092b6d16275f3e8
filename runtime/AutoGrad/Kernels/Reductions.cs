using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// Reductions TensorPrimitives has no call for: sums down the columns of a row-major matrix (bias gradients, the
/// gradient of a broadcast operand), optionally weighted elementwise by a second matrix.
/// </summary>
internal static unsafe class Reductions
{
    /// <summary><c>dst[j] (+)= Σ_i src[i, j]</c> over a rows×cols matrix; rows run in order, as in the GEMM's fused sums.</summary>
    public static void ColumnSums(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst, bool accumulate) =>
        ColumnSums(src, default, rows, cols, dst, accumulate);

    /// <summary><c>dst[j] (+)= Σ_i src[i, j]·weights[i, j]</c> (or plain sums when <paramref name="weights"/> is empty).</summary>
    public static void ColumnSums(ReadOnlySpan<float> src, ReadOnlySpan<float> weights, int rows, int cols, Span<float> dst, bool accumulate)
    {
        if (src.Length < rows * cols || dst.Length < cols || (!weights.IsEmpty && weights.Length < rows * cols))
        {
            throw new ArgumentException("Column-sum operands are shorter than the matrix they describe.");
        }
        if (!accumulate)
        {
            dst[..cols].Clear();
        }
        fixed (float* ps = src, pw = weights, pd = dst)
        {
            int j = 0;
            // Four vectors of columns stay in registers while the rows stream past: one load per element.
            for (; j + 32 <= cols; j += 32)
            {
                Vector256<float> s0 = Vector256.Load(pd + j), s1 = Vector256.Load(pd + j + 8);
                Vector256<float> s2 = Vector256.Load(pd + j + 16), s3 = Vector256.Load(pd + j + 24);
                for (int i = 0; i < rows; i++)
                {
                    float* row = ps + (nint)i * cols + j;
                    if (pw == null)
                    {
                        s0 += Vector256.Load(row);
                        s1 += Vector256.Load(row + 8);
                        s2 += Vector256.Load(row + 16);
                        s3 += Vector256.Load(row + 24);
                    }
                    else
                    {
                        float* wrow = pw + (nint)i * cols + j;
                        s0 += Vector256.Load(row) * Vector256.Load(wrow);
                        s1 += Vector256.Load(row + 8) * Vector256.Load(wrow + 8);
                        s2 += Vector256.Load(row + 16) * Vector256.Load(wrow + 16);
                        s3 += Vector256.Load(row + 24) * Vector256.Load(wrow + 24);
                    }
                }
                s0.Store(pd + j);
                s1.Store(pd + j + 8);
                s2.Store(pd + j + 16);
                s3.Store(pd + j + 24);
            }
            for (; j + 8 <= cols; j += 8)
            {
                Vector256<float> s = Vector256.Load(pd + j);
                for (int i = 0; i < rows; i++)
                {
                    Vector256<float> v = Vector256.Load(ps + (nint)i * cols + j);
                    s += pw == null ? v : v * Vector256.Load(pw + (nint)i * cols + j);
                }
                s.Store(pd + j);
            }
            for (; j < cols; j++)
            {
                float s = pd[j];
                for (int i = 0; i < rows; i++)
                {
                    float v = ps[(nint)i * cols + j];
                    s += pw == null ? v : v * pw[(nint)i * cols + j];
                }
                pd[j] = s;
            }
        }
    }
}
