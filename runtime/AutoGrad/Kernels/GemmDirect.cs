using System;

namespace AutoGrad.Kernels;

/// <summary>
/// GEMM without packing, for products too thin or too small for packing to pay for itself: batch-1 layers
/// (matrix-vector), outer products (weight gradients at batch 1), and tiny layers such as 2x16. Packing costs a
/// pass over both operands; here every operand element is read straight from the caller's memory.
/// </summary>
internal static unsafe class GemmDirect
{
    /// <summary>
    /// True when <paramref name="p"/> should skip packing. Decided from the shape alone, never from the thread
    /// count, so a given product always takes the same path and produces the same bits.
    /// </summary>
    public static bool Suits(ref GemmProblem p)
    {
        if (p.TransA && p.TransB)
        {
            return false; // op(A) rows are strided in both operands: only packing makes them contiguous.
        }
        int smallest = Math.Min(p.M, Math.Min(p.N, p.K));
        return smallest <= 4 || (long)p.M * p.N * p.K <= 32 * 32 * 32;
    }

    public static void Run<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        if (p.TransB)
        {
            DotRows<TSimd, TVec>(ref p);
        }
        else
        {
            CombineRows<TSimd, TVec>(ref p);
        }
    }

    /// <summary>
    /// op(B) = Bᵀ with op(A) rows contiguous: every C element is a dot product of two contiguous rows. Four B rows
    /// at a time share each load of the A row; two accumulators per dot hide the FMA latency.
    /// </summary>
    private static void DotRows<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        int k2 = p.K - p.K % (2 * w);
        for (int i = 0; i < p.M; i++)
        {
            float* a = p.A + i * p.Lda;
            float* c = p.C + i * p.Ldc;
            int j = 0;
            for (; j + 4 <= p.N; j += 4)
            {
                float* b0 = p.B + j * p.Ldb;
                float* b1 = b0 + p.Ldb;
                float* b2 = b1 + p.Ldb;
                float* b3 = b2 + p.Ldb;
                TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
                TVec t0 = TSimd.Zero, t1 = TSimd.Zero, t2 = TSimd.Zero, t3 = TSimd.Zero;
                int k = 0;
                for (; k < k2; k += 2 * w)
                {
                    TVec x = TSimd.Load(a + k);
                    TVec y = TSimd.Load(a + k + w);
                    s0 = TSimd.MulAdd(x, TSimd.Load(b0 + k), s0);
                    s1 = TSimd.MulAdd(x, TSimd.Load(b1 + k), s1);
                    s2 = TSimd.MulAdd(x, TSimd.Load(b2 + k), s2);
                    s3 = TSimd.MulAdd(x, TSimd.Load(b3 + k), s3);
                    t0 = TSimd.MulAdd(y, TSimd.Load(b0 + k + w), t0);
                    t1 = TSimd.MulAdd(y, TSimd.Load(b1 + k + w), t1);
                    t2 = TSimd.MulAdd(y, TSimd.Load(b2 + k + w), t2);
                    t3 = TSimd.MulAdd(y, TSimd.Load(b3 + k + w), t3);
                }
                float d0 = TSimd.Sum(TSimd.Add(s0, t0));
                float d1 = TSimd.Sum(TSimd.Add(s1, t1));
                float d2 = TSimd.Sum(TSimd.Add(s2, t2));
                float d3 = TSimd.Sum(TSimd.Add(s3, t3));
                for (; k < p.K; k++)
                {
                    float x = a[k];
                    d0 += x * b0[k];
                    d1 += x * b1[k];
                    d2 += x * b2[k];
                    d3 += x * b3[k];
                }
                Finish(ref p, c, j, d0);
                Finish(ref p, c, j + 1, d1);
                Finish(ref p, c, j + 2, d2);
                Finish(ref p, c, j + 3, d3);
            }
            for (; j < p.N; j++)
            {
                float* b0 = p.B + j * p.Ldb;
                TVec s0 = TSimd.Zero, t0 = TSimd.Zero;
                int k = 0;
                for (; k < k2; k += 2 * w)
                {
                    s0 = TSimd.MulAdd(TSimd.Load(a + k), TSimd.Load(b0 + k), s0);
                    t0 = TSimd.MulAdd(TSimd.Load(a + k + w), TSimd.Load(b0 + k + w), t0);
                }
                float d0 = TSimd.Sum(TSimd.Add(s0, t0));
                for (; k < p.K; k++)
                {
                    d0 += a[k] * b0[k];
                }
                Finish(ref p, c, j, d0);
            }
        }
    }

    /// <summary>
    /// op(B) = B: each C row is a combination of B's rows, <c>C[i,:] = Σ_k op(A)[i,k]·B[k,:]</c>. A strip of four
    /// vectors of the C row stays in registers across all of k, so each B element is loaded once per row of C.
    /// Covers NN (activation gradients) and TN (weight gradients, outer products at batch 1).
    /// </summary>
    private static void CombineRows<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        nint aRowStep = p.TransA ? 1 : p.Lda;
        nint aKStep = p.TransA ? p.Lda : 1;
        for (int i = 0; i < p.M; i++)
        {
            float* a = p.A + i * aRowStep;
            float* c = p.C + i * p.Ldc;
            int n = 0;
            for (; n + 4 * w <= p.N; n += 4 * w)
            {
                float* b = p.B + n;
                TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
                for (int k = 0; k < p.K; k++)
                {
                    TVec x = TSimd.Splat(a[k * aKStep]);
                    float* bk = b + k * p.Ldb;
                    s0 = TSimd.MulAdd(x, TSimd.Load(bk), s0);
                    s1 = TSimd.MulAdd(x, TSimd.Load(bk + w), s1);
                    s2 = TSimd.MulAdd(x, TSimd.Load(bk + 2 * w), s2);
                    s3 = TSimd.MulAdd(x, TSimd.Load(bk + 3 * w), s3);
                }
                FinishVector<TSimd, TVec>(ref p, c, n, s0);
                FinishVector<TSimd, TVec>(ref p, c, n + w, s1);
                FinishVector<TSimd, TVec>(ref p, c, n + 2 * w, s2);
                FinishVector<TSimd, TVec>(ref p, c, n + 3 * w, s3);
            }
            for (; n + w <= p.N; n += w)
            {
                float* b = p.B + n;
                TVec s0 = TSimd.Zero;
                for (int k = 0; k < p.K; k++)
                {
                    s0 = TSimd.MulAdd(TSimd.Splat(a[k * aKStep]), TSimd.Load(b + k * p.Ldb), s0);
                }
                FinishVector<TSimd, TVec>(ref p, c, n, s0);
            }
            for (; n < p.N; n++)
            {
                float* b = p.B + n;
                float s = 0f;
                for (int k = 0; k < p.K; k++)
                {
                    s += a[k * aKStep] * b[k * p.Ldb];
                }
                Finish(ref p, c, n, s);
            }
        }
    }

    private static void Finish(ref GemmProblem p, float* c, int j, float v)
    {
        if (p.Accumulate)
        {
            v += c[j];
        }
        if (p.Bias != null)
        {
            v += p.Bias[j];
        }
        c[j] = v;
    }

    private static void FinishVector<TSimd, TVec>(ref GemmProblem p, float* c, int j, TVec v)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        if (p.Accumulate)
        {
            v = TSimd.Add(v, TSimd.Load(c + j));
        }
        if (p.Bias != null)
        {
            v = TSimd.Add(v, TSimd.Load(p.Bias + j));
        }
        TSimd.Store(c + j, v);
    }
}
