using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// Copies blocks of op(A) and op(B) into the panel layouts the micro-kernel streams through: op(A) as panels of MR
/// rows (<see cref="GemmMicroKernel.Rows{TSimd, TVec}"/>: 6, or 8 with AVX-512) stored k-major (<c>panel[k*MR + r]</c>), op(B) as panels of NR columns
/// stored k-major (<c>panel[k*NR + c]</c>). Short panels are zero-padded so the micro-kernel never branches on
/// edges. Reading a transposed operand this way is what lets the three products of a linear layer run without
/// materializing any transpose.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>A row of zeros standing in for the rows past the end of a short panel.</summary>
    private static readonly float[] s_zeros = GC.AllocateArray<float>(GemmBlocking.Kc + 64, pinned: true);

    private static float* Zeros => (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(s_zeros));

    /// <summary>
    /// Packs op(A) rows [m0, m0+mc) × k [k0, k0+kc) into <paramref name="dst"/>. When <paramref name="rowSums"/> is
    /// not null, adds <c>op(A)[m,k]</c> for each packed element to <c>rowSums[m]</c> (k ascending).
    /// </summary>
    public static void PackA(ref GemmProblem p, int m0, int mc, int k0, int kc, int mr, float* dst, float* rowSums)
    {
        if (p.TransA)
        {
            PackAColumns(ref p, m0, mc, k0, kc, mr, dst, rowSums);
            return;
        }
        for (int ir = 0; ir < mc; ir += mr)
        {
            int rows = Math.Min(mr, mc - ir);
            PackARows(ref p, m0 + ir, rows, k0, kc, mr, dst + (nint)ir * kc);
            if (rowSums != null)
            {
                AddRowSums(ref p, m0 + ir, rows, k0, kc, rowSums);
            }
        }
    }

    /// <summary>Packs op(B) columns [n0, n0+nc) × k [k0, k0+kc) as panels of <paramref name="nr"/> columns.</summary>
    public static void PackB(ref GemmProblem p, int n0, int nc, int k0, int kc, int nr, float* dst)
    {
        if (!p.TransB)
        {
            PackBColumns(ref p, n0, nc, k0, kc, nr, dst);
            return;
        }
        bool prefetch = Sse.IsSupported && (long)p.N * p.K > PrefetchAbove;
        for (int jr = 0; jr < nc; jr += nr)
        {
            PackBRows(ref p, n0 + jr, Math.Min(nr, nc - jr), k0, kc, nr, dst + (nint)jr * kc, prefetch);
        }
    }

    /// <summary>
    /// Floats of Bᵀ (1 MB) above which <see cref="PackBRows"/> prefetches its eight rows: larger than a Zen core's L2,
    /// so the rows come from L3 or memory and the loads waited on them (a 1024×1024 Wᵀ: 0.3–0.75% of the
    /// 1024-1024-1024-10 step four lines ahead, and 0.2–1.3% more once a block's last lines prefetched the next rows;
    /// W of 784-128-64-10, 400 KB, was 0.2–0.7% slower with it).
    /// </summary>
    private const long PrefetchAbove = 256 * 1024;

    /// <summary>op(A) rows are A's rows (contiguous along k): interleave them, 8x8 transposes at a time.</summary>
    private static void PackARows(ref GemmProblem p, int m, int rows, int k0, int kc, int mr, float* panel)
    {
        float* r0 = RowOrZeros(p.A, p.Lda, m, 0, rows, k0);
        float* r1 = RowOrZeros(p.A, p.Lda, m, 1, rows, k0);
        float* r2 = RowOrZeros(p.A, p.Lda, m, 2, rows, k0);
        float* r3 = RowOrZeros(p.A, p.Lda, m, 3, rows, k0);
        float* r4 = RowOrZeros(p.A, p.Lda, m, 4, rows, k0);
        float* r5 = RowOrZeros(p.A, p.Lda, m, 5, rows, k0);
        // Panels of 8 rows (AVX-512) take two more rows; panels of 6 read zeros there and never store them.
        float* r6 = mr == 8 ? RowOrZeros(p.A, p.Lda, m, 6, rows, k0) : Zeros;
        float* r7 = mr == 8 ? RowOrZeros(p.A, p.Lda, m, 7, rows, k0) : Zeros;
        int k = 0;
        if (Transpose8x8.IsSupported)
        {
            // Each transposed column holds 8 lanes; in a panel of 6 rows the two extra (zero) lanes spill into the
            // next k's slot and are overwritten by its store, so no masked stores are needed. The last spill lands
            // in the next panel (packed afterwards) or in the workspace's slack.
            for (; k + 8 <= kc; k += 8)
            {
                Transpose8x8.LoadTransposeStore(r0 + k, r1 + k, r2 + k, r3 + k, r4 + k, r5 + k, r6 + k, r7 + k, panel + k * mr, mr);
            }
        }
        for (; k < kc; k++)
        {
            float* d = panel + k * mr;
            d[0] = r0[k];
            d[1] = r1[k];
            d[2] = r2[k];
            d[3] = r3[k];
            d[4] = r4[k];
            d[5] = r5[k];
            if (mr == 8)
            {
                d[6] = r6[k];
                d[7] = r7[k];
            }
        }
    }

    /// <summary>
    /// op(A) is Aᵀ: op(A)'s rows are A's columns, so each k is a contiguous run of A's row k. The loop walks A's
    /// rows in order (k outer) and deals them out to the block's panels: reading a panel at a time instead would
    /// stride by A's row length on every k, defeating the hardware prefetcher. With 8-row panels it deals
    /// <see cref="RowsPerVisit"/> rows at a time, as <see cref="PackBColumns"/> does and for the same reason (panels
    /// kc·8 floats apart put one row's stores in one L1 set).
    /// </summary>
    private static void PackAColumns(ref GemmProblem p, int m0, int mc, int k0, int kc, int mr, float* dst, float* rowSums)
    {
        int step = mr == 8 ? RowsPerVisit : 1;
        for (int k = 0; k < kc; k += step)
        {
            DealAColumns(ref p, m0, mc, k0, k, Math.Min(step, kc - k), kc, mr, dst, rowSums);
        }
    }

    /// <summary>Deals A's rows k0 + k … k0 + k + rows − 1 out to the panels' k slots k … k + rows − 1.</summary>
    private static void DealAColumns(
        ref GemmProblem p, int m0, int mc, int k0, int k, int rows, int kc, int mr, float* dst, float* rowSums)
    {
        nint lda = p.Lda;
        float* src = p.A + (k0 + k) * lda + m0;
        if (rowSums != null)
        {
            for (int r = 0; r < rows; r++)
            {
                AddRow(src + r * lda, rowSums + m0, mc);
            }
        }
        int ir = 0, fullPanels = mc / mr;
        if (Vector256.IsHardwareAccelerated && (k + rows < kc || mr == 8))
        {
            // Whole 8-float stores: a panel of 8 rows takes exactly one per k slot; in a panel of 6 (dealt one row
            // at a time) the two lanes past it land in its next k slot, written later (so not on the last k: there
            // they would hit the next panel's first slot, already written).
            for (; ir < fullPanels * mr && m0 + ir + 8 <= p.M; ir += mr)
            {
                float* d = dst + (nint)ir * kc + k * mr;
                for (int r = 0; r < rows; r++)
                {
                    Vector256.Load(src + r * lda + ir).Store(d + r * mr);
                }
            }
        }
        for (; ir < mc; ir += mr)
        {
            for (int r = 0; r < rows; r++)
            {
                CopyAndPad(src + r * lda + ir, dst + (nint)ir * kc + (k + r) * mr, Math.Min(mr, mc - ir), mr);
            }
        }
    }

    /// <summary><c>sums[i] += row[i]</c>: one more k added to every row sum, in k order.</summary>
    private static void AddRow(float* row, float* sums, int count)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= count; i += 8)
            {
                (Vector256.Load(sums + i) + Vector256.Load(row + i)).Store(sums + i);
            }
        }
        for (; i < count; i++)
        {
            sums[i] += row[i];
        }
    }

    /// <summary>op(B) is Bᵀ: B's rows run along k, so transpose them 8 rows at a time into the panel.</summary>
    private static void PackBRows(ref GemmProblem p, int n, int cols, int k0, int kc, int nr, float* panel, bool prefetch)
    {
        int k = 0;
        if (Transpose8x8.IsSupported)
        {
            for (int g = 0; g < nr; g += 8)
            {
                float* r0 = RowOrZeros(p.B, p.Ldb, n, g, cols, k0);
                float* r1 = RowOrZeros(p.B, p.Ldb, n, g + 1, cols, k0);
                float* r2 = RowOrZeros(p.B, p.Ldb, n, g + 2, cols, k0);
                float* r3 = RowOrZeros(p.B, p.Ldb, n, g + 3, cols, k0);
                float* r4 = RowOrZeros(p.B, p.Ldb, n, g + 4, cols, k0);
                float* r5 = RowOrZeros(p.B, p.Ldb, n, g + 5, cols, k0);
                float* r6 = RowOrZeros(p.B, p.Ldb, n, g + 6, cols, k0);
                float* r7 = RowOrZeros(p.B, p.Ldb, n, g + 7, cols, k0);
                for (k = 0; k + 8 <= kc; k += 8)
                {
                    if (prefetch && (k & 15) == 0)
                    {
                        // One line of each row per 16 floats, 4 lines (64 floats) ahead; in the block's last 4 lines,
                        // the first lines of the next 8 rows instead (the next group's, or the next panel's), which
                        // would otherwise start cold. Prefetches never fault, so rows past B's end are harmless.
                        nint ahead = k + 64 < kc ? k + 64 : 8 * p.Ldb + (k + 64 - kc);
                        Sse.Prefetch0(r0 + ahead);
                        Sse.Prefetch0(r1 + ahead);
                        Sse.Prefetch0(r2 + ahead);
                        Sse.Prefetch0(r3 + ahead);
                        Sse.Prefetch0(r4 + ahead);
                        Sse.Prefetch0(r5 + ahead);
                        Sse.Prefetch0(r6 + ahead);
                        Sse.Prefetch0(r7 + ahead);
                    }
                    Transpose8x8.LoadTransposeStore(
                        r0 + k, r1 + k, r2 + k, r3 + k, r4 + k, r5 + k, r6 + k, r7 + k, panel + k * nr + g, nr);
                }
            }
        }
        for (; k < kc; k++)
        {
            float* d = panel + k * nr;
            int c = 0;
            for (; c < cols; c++)
            {
                d[c] = p.B[(n + c) * p.Ldb + k0 + k];
            }
            for (; c < nr; c++)
            {
                d[c] = 0f;
            }
        }
    }

    /// <summary>
    /// op(B) is B: each k is a contiguous run of B's row k. As for Aᵀ, walk B's rows in order and deal them out to the
    /// panels, so reads stream instead of striding by B's row length; but <see cref="RowsPerVisit"/> rows at a time,
    /// so each visit to a panel writes that many consecutive k slots (a kilobyte at NR = 32). One row at a time wrote
    /// a 128-byte piece to every panel in turn, panels kc·NR floats apart, so that a row's stores all fell in the same
    /// L1 set.
    /// </summary>
    private static void PackBColumns(ref GemmProblem p, int n0, int nc, int k0, int kc, int nr, float* dst)
    {
        int full = nc - nc % nr;
        nint ldb = p.Ldb;
        for (int k = 0; k < kc; k += RowsPerVisit)
        {
            int rows = Math.Min(RowsPerVisit, kc - k);
            float* src = p.B + (k0 + k) * ldb + n0;
            for (int jr = 0; jr < full; jr += nr)
            {
                float* d = dst + (nint)jr * kc + k * nr;
                for (int r = 0; r < rows; r++)
                {
                    Copy(src + r * ldb + jr, d + r * nr, nr);
                }
            }
            if (full < nc)
            {
                for (int r = 0; r < rows; r++)
                {
                    CopyAndPad(src + r * ldb + full, dst + (nint)full * kc + (k + r) * nr, nc - full, nr);
                }
            }
        }
    }

    /// <summary>An edge panel's k slot: <paramref name="count"/> values, then zeros up to <paramref name="width"/>.</summary>
    private static void CopyAndPad(float* src, float* dst, int count, int width)
    {
        int c = 0;
        for (; c < count; c++)
        {
            dst[c] = src[c];
        }
        for (; c < width; c++)
        {
            dst[c] = 0f;
        }
    }

    /// <summary>Rows of A or B dealt out to the panels per visit (<see cref="PackAColumns"/>, <see cref="PackBColumns"/>).</summary>
    private const int RowsPerVisit = 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* dst, int count)
    {
        // count is the panel width, a multiple of 8.
        if (Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i < count; i += 8)
            {
                Vector256.Load(src + i).Store(dst + i);
            }
        }
        else
        {
            for (int i = 0; i < count; i += 4)
            {
                Vector128.Load(src + i).Store(dst + i);
            }
        }
    }

    private static void AddRowSums(ref GemmProblem p, int m, int rows, int k0, int kc, float* rowSums)
    {
        for (int r = 0; r < rows; r++)
        {
            float s = rowSums[m + r];
            for (int k = 0; k < kc; k++)
            {
                s += *p.AAt(m + r, k0 + k);
            }
            rowSums[m + r] = s;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* RowOrZeros(float* baseAddress, nint ld, int first, int index, int count, int k0) =>
        index < count ? baseAddress + (first + index) * ld + k0 : Zeros;
}
