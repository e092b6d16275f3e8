using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    public static bool Suits(ref GemmProblem p) => Suits(p.TransA, p.TransB, p.M, p.N, p.K);

    /// <summary>The same decision from the product's shape and transposes.</summary>
    public static bool Suits(bool transA, bool transB, int m, int n, int k)
    {
        if (transA && transB)
        {
            return false; // op(A) rows are strided in both operands: only packing makes them contiguous.
        }
        int smallest = Math.Min(m, Math.Min(n, k));
        return smallest <= 4 || (long)m * n * k <= 32 * 32 * 32;
    }

    /// <summary>Runs the product; returns whether it also took <see cref="GemmProblem.Reading"/> (a large outer product does).</summary>
    public static bool Run<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        // op(B)'s one row is contiguous unless B is stored transposed with rows wider than k: that strided row goes to
        // the general loops below, which step by ldb.
        if (p.K == 1 && (!p.TransB || p.Ldb == 1))
        {
            if (p.Reading != null && (long)p.M * p.N >= ReadOuterProductsFrom)
            {
                OuterProduct<TSimd, TVec, Reading>(ref p);
                return true;
            }
            OuterProduct<TSimd, TVec, NoReading>(ref p);
        }
        else if (p.TransB && NarrowSuits<TSimd, TVec>(ref p))
        {
            NarrowRows<TSimd, TVec>(ref p);
        }
        else if (p.TransB)
        {
            DotRows<TSimd, TVec>(ref p);
        }
        else
        {
            CombineRows<TSimd, TVec>(ref p);
        }
        return false;
    }

    /// <summary>
    /// Outer products of at least this many values are read as they are written; a smaller one (a 2-16-16-2 layer's)
    /// is read after, by the probes' one-loop reading of short gradients, which costs less than a kernel reading's
    /// clearing and folding.
    /// </summary>
    private const long ReadOuterProductsFrom = 1024;

    /// <summary>
    /// k = 1: <c>C[i,:] = a_i·b</c>, the weight gradient of a batch-1 layer. One streaming pass over C; the general
    /// loops would pay their k-loop and epilogue set-up per strip for a single multiply. With a reading, C's values are
    /// read, exact zeros counted, as they are stored: a batch-1 layer's weight gradient is usually its largest tensor,
    /// and a ReLU network's has rows of zeros (its dead units), which a reading without a count would have the probes
    /// count in a pass of their own.
    /// </summary>
    private static void OuterProduct<TSimd, TVec, TMode>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        int w = TSimd.Count, m = p.M, n = p.N;
        bool accumulate = p.Accumulate;
        float* bias = p.Bias, b = p.B, cBase = p.C;
        nint aStep = p.TransA ? 1 : p.Lda, ldc = p.Ldc;
        var vectors = new TileReading<TSimd, TVec>();
        var tail = new ScalarReading();
        long zeros = 0;
        for (int i = 0; i < m; i++)
        {
            float ai = p.A[i * aStep];
            TVec s = TSimd.Splat(ai);
            float* c = cBase + i * ldc;
            int j = 0;
            for (; j + w <= n; j += w)
            {
                TVec v = TSimd.Multiply(s, TSimd.Load(b + j));
                if (accumulate)
                {
                    v = TSimd.Add(v, TSimd.Load(c + j));
                }
                if (bias != null)
                {
                    v = TSimd.Add(v, TSimd.Load(bias + j));
                }
                TSimd.Store(c + j, v);
                if (TMode.Reads)
                {
                    vectors.Add(v);
                    zeros += BitOperations.PopCount(TSimd.ZeroBits(v));
                }
            }
            for (; j < n; j++)
            {
                float v = ai * b[j];
                if (accumulate)
                {
                    v += c[j];
                }
                if (bias != null)
                {
                    v += bias[j];
                }
                c[j] = v;
                if (TMode.Reads)
                {
                    tail.Add(v);
                    zeros += v == 0f ? 1 : 0;
                }
            }
        }
        if (TMode.Reads)
        {
            vectors.AddTo(p.Reading);
            tail.AddTo(p.Reading);
            p.Reading->CountedZeros = zeros;
        }
    }

    /// <summary>
    /// op(B) = Bᵀ with op(A) rows contiguous: every C element is a dot product of two contiguous rows. Eight B rows
    /// at a time share each load of the A row, and their eight accumulators hide the FMA latency; at batch 1 this
    /// streams the weight matrix once, so it runs at the speed of the cache level that holds it.
    /// </summary>
    private static void DotRows<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, kv = p.K - p.K % w;
        nint ldb = p.Ldb;
        if (kv == 0)
        {
            // Rows shorter than a vector (a 2-input layer): vector accumulators and their horizontal sums would
            // be pure overhead.
            for (int i = 0; i < p.M; i++)
            {
                for (int j = 0; j < p.N; j++)
                {
                    FinishDot(ref p, p.A + i * p.Lda, p.B + j * ldb, 0, p.C + i * p.Ldc, j, 0f);
                }
            }
            return;
        }
        for (int i = 0; i < p.M; i++)
        {
            float* a = p.A + i * p.Lda;
            float* c = p.C + i * p.Ldc;
            int j = 0;
            for (; j + 8 <= p.N; j += 8)
            {
                float* b0 = p.B + j * ldb;
                TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
                TVec s4 = TSimd.Zero, s5 = TSimd.Zero, s6 = TSimd.Zero, s7 = TSimd.Zero;
                for (int k = 0; k < kv; k += w)
                {
                    TVec x = TSimd.Load(a + k);
                    float* bk = b0 + k;
                    s0 = TSimd.MulAdd(x, TSimd.Load(bk), s0);
                    s1 = TSimd.MulAdd(x, TSimd.Load(bk + ldb), s1);
                    s2 = TSimd.MulAdd(x, TSimd.Load(bk + 2 * ldb), s2);
                    s3 = TSimd.MulAdd(x, TSimd.Load(bk + 3 * ldb), s3);
                    s4 = TSimd.MulAdd(x, TSimd.Load(bk + 4 * ldb), s4);
                    s5 = TSimd.MulAdd(x, TSimd.Load(bk + 5 * ldb), s5);
                    s6 = TSimd.MulAdd(x, TSimd.Load(bk + 6 * ldb), s6);
                    s7 = TSimd.MulAdd(x, TSimd.Load(bk + 7 * ldb), s7);
                }
                FinishDot(ref p, a, b0, kv, c, j, TSimd.Sum(s0));
                FinishDot(ref p, a, b0 + ldb, kv, c, j + 1, TSimd.Sum(s1));
                FinishDot(ref p, a, b0 + 2 * ldb, kv, c, j + 2, TSimd.Sum(s2));
                FinishDot(ref p, a, b0 + 3 * ldb, kv, c, j + 3, TSimd.Sum(s3));
                FinishDot(ref p, a, b0 + 4 * ldb, kv, c, j + 4, TSimd.Sum(s4));
                FinishDot(ref p, a, b0 + 5 * ldb, kv, c, j + 5, TSimd.Sum(s5));
                FinishDot(ref p, a, b0 + 6 * ldb, kv, c, j + 6, TSimd.Sum(s6));
                FinishDot(ref p, a, b0 + 7 * ldb, kv, c, j + 7, TSimd.Sum(s7));
            }
            for (; j < p.N; j++)
            {
                // A lone dot product (n < 8 outputs, e.g. a 2-class head): four accumulators keep four FMAs in
                // flight instead of one chain waiting on the FMA latency.
                float* b0 = p.B + j * ldb;
                TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
                int k = 0;
                for (; k + 4 * w <= kv; k += 4 * w)
                {
                    s0 = TSimd.MulAdd(TSimd.Load(a + k), TSimd.Load(b0 + k), s0);
                    s1 = TSimd.MulAdd(TSimd.Load(a + k + w), TSimd.Load(b0 + k + w), s1);
                    s2 = TSimd.MulAdd(TSimd.Load(a + k + 2 * w), TSimd.Load(b0 + k + 2 * w), s2);
                    s3 = TSimd.MulAdd(TSimd.Load(a + k + 3 * w), TSimd.Load(b0 + k + 3 * w), s3);
                }
                for (; k < kv; k += w)
                {
                    s0 = TSimd.MulAdd(TSimd.Load(a + k), TSimd.Load(b0 + k), s0);
                }
                FinishDot(ref p, a, b0, kv, c, j, TSimd.Sum(TSimd.Add(TSimd.Add(s0, s1), TSimd.Add(s2, s3))));
            }
        }
    }

    /// <summary>
    /// Whether <see cref="NarrowRows{TSimd, TVec}"/> takes an NT product: op(B) narrower than one vector (at least 8
    /// lanes, where the 8×8 transposes pack it), op(A) rows contiguous, at least a tile's worth of rows, and k within
    /// one packing block.
    /// </summary>
    private static bool NarrowSuits<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        !p.TransA && TSimd.Count >= 8 && p.N <= TSimd.Count && p.M >= NarrowTileRows && p.K <= GemmBlocking.Kc
        && Transpose8x8.IsSupported;

    private const int NarrowTileRows = 8;

    /// <summary>
    /// op(B) = Bᵀ with fewer columns than a vector and several rows of C (a classifier's output layer: 10 classes at
    /// batch 32): Bᵀ is packed once into a k-major panel one vector wide (zero-padded), and eight rows of C accumulate
    /// in registers as broadcasts of op(A) times the panel, the micro-kernel's scheme at one vector. As dot products,
    /// every element of C paid a horizontal sum (0.3–0.5% of the 21-layer tanh step, in-process A/B).
    /// Each element sums k in ascending order, as the micro-kernel does.
    /// </summary>
    private static void NarrowRows<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, n = p.N, k = p.K;
        GemmWorkspace workspace = GemmWorkspace.Current;
        float* panel = workspace.PackedB(k * w);
        GemmPacking.PackB(ref p, 0, n, 0, k, w, panel);
        float* row = workspace.EdgeTile; // one vector of results at a time, of which the first n are C's
        nint lda = p.Lda;
        int i = 0;
        for (; i + NarrowTileRows <= p.M; i += NarrowTileRows)
        {
            float* a0 = p.A + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
            float* a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda;
            TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
            TVec s4 = TSimd.Zero, s5 = TSimd.Zero, s6 = TSimd.Zero, s7 = TSimd.Zero;
            for (int kk = 0; kk < k; kk++)
            {
                TVec b = TSimd.Load(panel + kk * w);
                s0 = TSimd.MulAdd(TSimd.Splat(a0[kk]), b, s0);
                s1 = TSimd.MulAdd(TSimd.Splat(a1[kk]), b, s1);
                s2 = TSimd.MulAdd(TSimd.Splat(a2[kk]), b, s2);
                s3 = TSimd.MulAdd(TSimd.Splat(a3[kk]), b, s3);
                s4 = TSimd.MulAdd(TSimd.Splat(a4[kk]), b, s4);
                s5 = TSimd.MulAdd(TSimd.Splat(a5[kk]), b, s5);
                s6 = TSimd.MulAdd(TSimd.Splat(a6[kk]), b, s6);
                s7 = TSimd.MulAdd(TSimd.Splat(a7[kk]), b, s7);
            }
            float* c = p.C + i * p.Ldc;
            FinishNarrow<TSimd, TVec>(ref p, c, s0, row);
            FinishNarrow<TSimd, TVec>(ref p, c + p.Ldc, s1, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 2 * p.Ldc, s2, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 3 * p.Ldc, s3, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 4 * p.Ldc, s4, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 5 * p.Ldc, s5, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 6 * p.Ldc, s6, row);
            FinishNarrow<TSimd, TVec>(ref p, c + 7 * p.Ldc, s7, row);
        }
        for (; i < p.M; i++)
        {
            float* a = p.A + i * lda;
            TVec s = TSimd.Zero;
            for (int kk = 0; kk < k; kk++)
            {
                s = TSimd.MulAdd(TSimd.Splat(a[kk]), TSimd.Load(panel + kk * w), s);
            }
            FinishNarrow<TSimd, TVec>(ref p, p.C + i * p.Ldc, s, row);
        }
    }

    /// <summary>
    /// Stores the first N lanes of a narrow row of C, adding C and the bias in the epilogue's order. With AVX-512 as one
    /// masked vector (the masked-off lanes are neither loaded nor stored); otherwise lane by lane through a scratch row,
    /// which for a 10-class output layer at batch 32 had cost about as much as the row's products.
    /// </summary>
    private static void FinishNarrow<TSimd, TVec>(ref GemmProblem p, float* c, TVec v, float* row)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        if (TSimd.Count == Vector512<float>.Count && Avx512F.IsSupported)
        {
            Vector512<float> lanes = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(p.N)).AsSingle();
            Vector512<float> x = Unsafe.BitCast<TVec, Vector512<float>>(v);
            if (p.Accumulate)
            {
                x += Avx512F.MaskLoad(c, lanes, Vector512<float>.Zero);
            }
            if (p.Bias != null)
            {
                x += Avx512F.MaskLoad(p.Bias, lanes, Vector512<float>.Zero);
            }
            Avx512F.MaskStore(c, lanes, x);
            return;
        }
        TSimd.Store(row, v);
        for (int j = 0; j < p.N; j++)
        {
            Finish(ref p, c, j, row[j]);
        }
    }

    /// <summary>Adds the scalar tail k ∈ [kv, K) to a dot product and stores it.</summary>
    private static void FinishDot(ref GemmProblem p, float* a, float* b, int kv, float* c, int j, float dot)
    {
        for (int k = kv; k < p.K; k++)
        {
            dot += a[k] * b[k];
        }
        Finish(ref p, c, j, dot);
    }

    /// <summary>
    /// op(B) = B: each C row is a combination of B's rows, <c>C[i,:] = Σ_k op(A)[i,k]·B[k,:]</c>. A strip of four
    /// vectors of the C row stays in registers across all of k, so each B element is loaded once per row of C.
    /// Covers NN (activation gradients) and TN (weight gradients, outer products at batch 1).
    /// </summary>
    /// <remarks>
    /// Rows go in pairs through the four-vector strips: eight independent accumulators instead of four, so a short
    /// k (the input gradient of a 10-class output layer) is not bound by the FMA latency, and each B vector loaded
    /// serves two rows. Every element still sums k in ascending order, so pairing does not change any bits.
    /// </remarks>
    private static void CombineRows<TSimd, TVec>(ref GemmProblem p)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        nint aRowStep = p.TransA ? 1 : p.Lda;
        nint aKStep = p.TransA ? p.Lda : 1;
        int i = 0;
        for (; i + 2 <= p.M; i += 2)
        {
            float* a0 = p.A + i * aRowStep, a1 = a0 + aRowStep;
            float* c0 = p.C + i * p.Ldc, c1 = c0 + p.Ldc;
            int n = 0;
            for (; n + 4 * w <= p.N; n += 4 * w)
            {
                float* b = p.B + n;
                TVec s0 = TSimd.Zero, s1 = TSimd.Zero, s2 = TSimd.Zero, s3 = TSimd.Zero;
                TVec t0 = TSimd.Zero, t1 = TSimd.Zero, t2 = TSimd.Zero, t3 = TSimd.Zero;
                for (int k = 0; k < p.K; k++)
                {
                    TVec x = TSimd.Splat(a0[k * aKStep]);
                    TVec y = TSimd.Splat(a1[k * aKStep]);
                    float* bk = b + k * p.Ldb;
                    TVec b0 = TSimd.Load(bk), b1 = TSimd.Load(bk + w), b2 = TSimd.Load(bk + 2 * w), b3 = TSimd.Load(bk + 3 * w);
                    s0 = TSimd.MulAdd(x, b0, s0);
                    s1 = TSimd.MulAdd(x, b1, s1);
                    s2 = TSimd.MulAdd(x, b2, s2);
                    s3 = TSimd.MulAdd(x, b3, s3);
                    t0 = TSimd.MulAdd(y, b0, t0);
                    t1 = TSimd.MulAdd(y, b1, t1);
                    t2 = TSimd.MulAdd(y, b2, t2);
                    t3 = TSimd.MulAdd(y, b3, t3);
                }
                FinishVector<TSimd, TVec>(ref p, c0, n, s0);
                FinishVector<TSimd, TVec>(ref p, c0, n + w, s1);
                FinishVector<TSimd, TVec>(ref p, c0, n + 2 * w, s2);
                FinishVector<TSimd, TVec>(ref p, c0, n + 3 * w, s3);
                FinishVector<TSimd, TVec>(ref p, c1, n, t0);
                FinishVector<TSimd, TVec>(ref p, c1, n + w, t1);
                FinishVector<TSimd, TVec>(ref p, c1, n + 2 * w, t2);
                FinishVector<TSimd, TVec>(ref p, c1, n + 3 * w, t3);
            }
            CombineRow<TSimd, TVec>(ref p, a0, aKStep, c0, n);
            CombineRow<TSimd, TVec>(ref p, a1, aKStep, c1, n);
        }
        for (; i < p.M; i++)
        {
            CombineRow<TSimd, TVec>(ref p, p.A + i * aRowStep, aKStep, p.C + i * p.Ldc, 0);
        }
    }

    /// <summary>One row of <see cref="CombineRows{TSimd, TVec}"/> from column <paramref name="n"/> on.</summary>
    private static void CombineRow<TSimd, TVec>(ref GemmProblem p, float* a, nint aKStep, float* c, int n)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
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
