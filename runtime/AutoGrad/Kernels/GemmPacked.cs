using System;

namespace AutoGrad.Kernels;

/// <summary>
/// The packed, cache-blocked GEMM (the BLIS five-loop nest) over a rectangle of C. Rectangles are how the parallel
/// driver splits work: each thread owns whole output tiles, and every element's k-order is the same whatever the
/// rectangle, so any split produces the same bits.
/// </summary>
internal static unsafe class GemmPacked
{
    /// <summary>Computes C rows [mStart, mEnd) × columns [nStart, nEnd) of <paramref name="p"/>.</summary>
    public static void Run<TSimd, TVec>(ref GemmProblem p, int mStart, int mEnd, int nStart, int nEnd)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int mr = GemmMicroKernel.Rows<TSimd, TVec>();
        int nr = 2 * TSimd.Count;
        int kc = GemmBlocking.Balance(p.K, GemmBlocking.Kc, 1);
        int mc = GemmBlocking.Balance(mEnd - mStart, GemmBlocking.Mc, mr);
        int nc = GemmBlocking.Balance(nEnd - nStart, GemmBlocking.Nc, nr);
        GemmWorkspace workspace = GemmWorkspace.Current;
        float* packedA = workspace.PackedA(mc * kc);
        float* packedB = workspace.PackedB(nc * kc);

        // The thread that owns column 0 packs every element of its rows of op(A) exactly once while jc = 0, so it
        // is the one that sums them.
        bool rowSums = p.RowSums != null && nStart == 0;
        if (rowSums && !p.AccumulateRowSums)
        {
            new Span<float>(p.RowSums + mStart, mEnd - mStart).Clear();
        }

        // Room for the largest tile (8 × 32 floats with AVX-512); edge tiles are computed here, then merged into C.
        float* edgeTile = stackalloc float[GemmMicroKernel.MaxRows * 2 * 16];
        for (int jc = nStart; jc < nEnd; jc += nc)
        {
            int ncur = Math.Min(nc, nEnd - jc);
            for (int k0 = 0; k0 < p.K; k0 += kc)
            {
                int kcur = Math.Min(kc, p.K - k0);
                GemmPacking.PackB(ref p, jc, ncur, k0, kcur, nr, packedB);
                bool loadC = k0 > 0 || p.Accumulate;
                float* bias = k0 == 0 && p.Bias != null ? p.Bias + jc : null;
                GemmReading* reading = k0 + kcur == p.K ? p.Reading : null; // C is final only after the last k block
                for (int ic = mStart; ic < mEnd; ic += mc)
                {
                    int mcur = Math.Min(mc, mEnd - ic);
                    GemmPacking.PackA(ref p, ic, mcur, k0, kcur, mr, packedA, rowSums && jc == nStart ? p.RowSums : null);
                    Macro<TSimd, TVec>(kcur, packedA, mcur, packedB, ncur, nr, p.C + ic * p.Ldc + jc, p.Ldc, bias, loadC, edgeTile, reading);
                }
            }
        }
    }

    /// <summary>Runs the micro-kernel over an mc×nc block whose panels are packed.</summary>
    private static void Macro<TSimd, TVec>(
        int kc, float* packedA, int mc, float* packedB, int nc, int nr, float* c, nint ldc, float* bias, bool loadC, float* edgeTile,
        GemmReading* reading)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int mr = GemmMicroKernel.Rows<TSimd, TVec>();
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bPanel = packedB + (nint)jr * kc;
            float* biasPanel = bias == null ? null : bias + jr;
            for (int ir = 0; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* aPanel = packedA + (nint)ir * kc;
                float* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    GemmMicroKernel.RunTile<TSimd, TVec>(kc, aPanel, bPanel, cTile, ldc, biasPanel, loadC);
                    if (reading != null)
                    {
                        GemmReading.AddTile<TSimd, TVec>(reading, cTile, ldc, mr);
                    }
                }
                else
                {
                    GemmMicroKernel.RunTile<TSimd, TVec>(kc, aPanel, bPanel, edgeTile, nr, null, loadC: false);
                    MergeEdge<TSimd, TVec>(edgeTile, nr, cTile, ldc, rows, cols, biasPanel, loadC);
                    if (reading != null)
                    {
                        if (cols == nr)
                        {
                            GemmReading.AddTile<TSimd, TVec>(reading, cTile, ldc, rows);
                        }
                        else
                        {
                            GemmReading.AddNarrow<TSimd, TVec>(reading, cTile, ldc, rows, cols);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Adds an edge tile (computed in scratch) into C: whole vectors where they fit, then one value at a time. With the
    /// same operation order as the micro-kernel's epilogue, so edge and full tiles give the same bits. (Done one value at
    /// a time throughout, the 2-row edge of a 32-row product was 6% of a 32×64×64 GEMM.)
    /// </summary>
    private static void MergeEdge<TSimd, TVec>(float* tile, int nr, float* c, nint ldc, int rows, int cols, float* bias, bool loadC)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, vectorCols = cols - cols % w;
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * nr;
            float* cr = c + r * ldc;
            for (int j = 0; j < vectorCols; j += w)
            {
                TVec v = TSimd.Load(t + j);
                if (loadC)
                {
                    v = TSimd.Add(v, TSimd.Load(cr + j));
                }
                if (bias != null)
                {
                    v = TSimd.Add(v, TSimd.Load(bias + j));
                }
                TSimd.Store(cr + j, v);
            }
            for (int j = vectorCols; j < cols; j++)
            {
                float v = t[j];
                if (loadC)
                {
                    v += cr[j];
                }
                if (bias != null)
                {
                    v += bias[j];
                }
                cr[j] = v;
            }
        }
    }
}
