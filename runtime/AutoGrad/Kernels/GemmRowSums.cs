using System;
using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>
/// <c>rowSums[m] (+)= Σ_k op(A)[m,k]</c> for the GEMM paths that do not pack A. Each sum runs k in ascending order
/// onto the existing value, exactly as the fused sum in <see cref="GemmPacking"/> does, so the bias gradient has
/// the same bits whichever path the product took.
/// </summary>
internal static unsafe class GemmRowSums
{
    public static void Compute(ref GemmProblem p)
    {
        float* sums = p.RowSums;
        if (!p.AccumulateRowSums)
        {
            new Span<float>(sums, p.M).Clear();
        }
        if (!p.TransA)
        {
            for (int m = 0; m < p.M; m++)
            {
                float* row = p.A + m * p.Lda;
                float s = sums[m];
                for (int k = 0; k < p.K; k++)
                {
                    s += row[k];
                }
                sums[m] = s;
            }
            return;
        }
        // op(A) = Aᵀ: op(A)'s rows are A's columns, so add A's rows a vector of columns at a time.
        int w = Vector256<float>.Count;
        int m0 = 0;
        for (; m0 + w <= p.M; m0 += w)
        {
            Vector256<float> acc = Vector256.Load(sums + m0);
            for (int k = 0; k < p.K; k++)
            {
                acc += Vector256.Load(p.A + k * p.Lda + m0);
            }
            acc.Store(sums + m0);
        }
        for (; m0 < p.M; m0++)
        {
            float s = sums[m0];
            for (int k = 0; k < p.K; k++)
            {
                s += p.A[k * p.Lda + m0];
            }
            sums[m0] = s;
        }
    }
}
