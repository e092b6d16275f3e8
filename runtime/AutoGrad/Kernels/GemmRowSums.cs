using System;

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
        var sums = new Span<float>(p.RowSums, p.M);
        if (p.TransA)
        {
            // op(A)'s rows are A's columns: column sums of the stored k×m matrix.
            long stored = p.K == 0 ? 0 : (p.K - 1) * p.Lda + p.M;
            Reductions.ColumnSums(new ReadOnlySpan<float>(p.A, (int)stored), (int)p.Lda, default, p.K, p.M, sums, p.AccumulateRowSums);
            return;
        }
        if (!p.AccumulateRowSums)
        {
            sums.Clear();
        }
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
    }
}
