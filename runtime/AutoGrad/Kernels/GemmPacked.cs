using System;
using System.Runtime.CompilerServices;

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
        // A small product reads its operands in place when they fit in L1 and split into whole tiles (no zero
        // padding needed): op(A) either way, through the micro-kernel's row and k strides, and op(B) = B, whose
        // k-th row holds each panel's NR values contiguously. Only Bᵀ (the forward's Wᵀ) still needs packing. For a
        // narrow layer's three products packing had cost a fifth of the time.
        bool whole = mStart == 0 && mEnd == p.M && nStart == 0 && nEnd == p.N;
        bool directA = whole && (ReadsAInPlace<TSimd, TVec>(p.M, p.K) || ReadsRowsOfAInPlace<TSimd, TVec>(p.TransA, p.M));
        bool directB = whole && ReadsBInPlace<TSimd, TVec>(p.TransB, p.N, p.K);
        if (directA && directB)
        {
            if (p.RowSums != null)
            {
                GemmRowSums.Compute(ref p);
            }
            RunInPlace<TSimd, TVec>(p.TransA, p.M, p.N, p.K, p.A, p.Lda, p.B, p.Ldb, p.C, p.Ldc, p.Bias, p.Accumulate, p.Reading, p.Relu);
            return;
        }
        // k blocks in multiples of 8: packing A's rows and Bᵀ's rows transposes 8×8 blocks, and a k block of 196 (K = 784
        // in four) left each panel a scalar tail of 4 (0.7–1.2% of the 784-128-64-10 batch-64 step).
        int kc = GemmBlocking.Balance(p.K, GemmBlocking.Kc, KBlockMultiple);
        int mc = GemmBlocking.Balance(mEnd - mStart, GemmBlocking.Mc, mr);
        int nc = GemmBlocking.Balance(nEnd - nStart, GemmBlocking.Nc, nr);
        GemmWorkspace workspace = GemmWorkspace.Current;
        float* packedA = workspace.PackedA(mc * kc);
        float* packedB = workspace.PackedB(nc * kc);
        if (directA && p.RowSums != null)
        {
            GemmRowSums.Compute(ref p); // same k order, same bits as the sums taken while packing
        }

        // The thread that owns column 0 packs every element of its rows of op(A) exactly once while jc = 0, so it
        // is the one that sums them.
        bool rowSums = p.RowSums != null && nStart == 0 && !directA;
        if (rowSums && !p.AccumulateRowSums)
        {
            new Span<float>(p.RowSums + mStart, mEnd - mStart).Clear();
        }

        // Room for the largest tile (8 × 32 floats with AVX-512); edge tiles are computed here, then merged into C.
        float* edgeTile = workspace.EdgeTile;
        for (int jc = nStart; jc < nEnd; jc += nc)
        {
            int ncur = Math.Min(nc, nEnd - jc);
            for (int k0 = 0; k0 < p.K; k0 += kc)
            {
                int kcur = Math.Min(kc, p.K - k0);
                float* bBase = directB ? p.B + (nint)k0 * p.Ldb + jc : packedB;
                if (!directB)
                {
                    GemmPacking.PackB(ref p, jc, ncur, k0, kcur, nr, packedB);
                }
                bool loadC = k0 > 0 || p.Accumulate;
                float* bias = k0 == 0 && p.Bias != null ? p.Bias + jc : null;
                // C is final only after the last k block: read it, or apply the ReLU, then.
                KernelReading* reading = k0 + kcur == p.K ? p.Reading : null;
                bool relu = p.Relu && k0 + kcur == p.K;
                for (int ic = mStart; ic < mEnd; ic += mc)
                {
                    int mcur = Math.Min(mc, mEnd - ic);
                    float* aBase = !directA ? packedA : p.TransA ? p.A + (nint)k0 * p.Lda + ic : p.A + (nint)ic * p.Lda + k0;
                    if (!directA)
                    {
                        GemmPacking.PackA(ref p, ic, mcur, k0, kcur, mr, packedA, rowSums && jc == nStart ? p.RowSums : null);
                    }
                    // Tile row ir starts ir rows on; rows are 1 apart in a panel or in Aᵀ, lda apart in A.
                    Panels panels = !directA ? new Panels(aBase, kcur, 1, mr, bBase, directB ? 1 : kcur, directB ? p.Ldb : nr)
                        : p.TransA ? new Panels(aBase, 1, 1, p.Lda, bBase, directB ? 1 : kcur, directB ? p.Ldb : nr)
                        : new Panels(aBase, p.Lda, p.Lda, 1, bBase, directB ? 1 : kcur, directB ? p.Ldb : nr);
                    Macro<TSimd, TVec>(kcur, panels, mcur, ncur, nr, p.C + ic * p.Ldc + jc, p.Ldc, bias, loadC, edgeTile, reading, relu);
                }
            }
        }
    }

    /// <summary>What every k block but the last is a multiple of.</summary>
    private const int KBlockMultiple = 8;

    /// <summary>Operands above this many floats (64 KB) are packed even when they could be read in place.</summary>
    private const long DirectLimit = 16 * 1024;

    /// <summary>
    /// True when the whole product is read in place (<see cref="RunInPlace{TSimd, TVec}"/>): op(A) and B fit in L1 and
    /// split into whole tiles, k fits one block, and B is not transposed (Bᵀ's panels would need packing). The test
    /// <see cref="Run{TSimd, TVec}"/> makes on a whole product, for callers that have no problem record.
    /// </summary>
    public static bool ReadsInPlace<TSimd, TVec>(bool transB, int m, int n, int k)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        ReadsAInPlace<TSimd, TVec>(m, k) && ReadsBInPlace<TSimd, TVec>(transB, n, k);

    /// <summary>op(A) (m rows, k deep) is read where it is: one k block, whole tiles of rows, at most 64 KB.</summary>
    private static bool ReadsAInPlace<TSimd, TVec>(int m, int k)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        k <= GemmBlocking.Kc && m % GemmMicroKernel.Rows<TSimd, TVec>() == 0 && (long)k * m <= DirectLimit;

    /// <summary>
    /// A (not transposed) is read where it is at any size, k block by k block, when its rows split into whole tiles:
    /// the micro-kernel broadcasts each of a tile's rows along k in order, so a row's k run is read as a stream either
    /// way, and packing it only added a pass of 8×8 transposes (2.2–2.5% of the 784-128-64-10 batch-64 step and
    /// 0.25–0.6% of the 1024³ one, whose forward and input-gradient products read A = X and A = dY this way). Aᵀ is
    /// still packed when large: read in place, each k step moves by A's row length, which for 1024 columns puts every
    /// k of a tile in the same L1 set.
    /// </summary>
    private static bool ReadsRowsOfAInPlace<TSimd, TVec>(bool transA, int m)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        !transA && m % GemmMicroKernel.Rows<TSimd, TVec>() == 0;

    /// <summary>B (k rows of n) is read where it is: not transposed, one k block, whole panels, at most 64 KB.</summary>
    private static bool ReadsBInPlace<TSimd, TVec>(bool transB, int n, int k)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged =>
        !transB && k <= GemmBlocking.Kc && n % (2 * TSimd.Count) == 0 && (long)k * n <= DirectLimit;

    /// <summary>
    /// A product that <see cref="ReadsInPlace{TSimd, TVec}"/>: nothing to pack, one k block and no edge tile, so no
    /// blocking arithmetic and no workspace (0.3–0.9% of the 21-layer tanh step). The micro-kernel reads op(A) through
    /// its row and k strides and B's rows where they are, one column of tiles after another.
    /// </summary>
    public static void RunInPlace<TSimd, TVec>(
        bool transA, int m, int n, int k, float* a, nint lda, float* b, nint ldb, float* c, nint ldc, float* bias,
        bool accumulate, KernelReading* reading, bool relu)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int mr = GemmMicroKernel.Rows<TSimd, TVec>(), nr = 2 * TSimd.Count;
        // Tile row ir starts ir rows on: rows are 1 apart in Aᵀ, lda apart in A.
        nint aRow = transA ? 1 : lda, aStep = transA ? lda : 1;
        for (int jr = 0; jr < n; jr += nr)
        {
            float* biasPanel = bias == null ? null : bias + jr;
            if (reading != null)
            {
                // A probe reads C: the column's tiles run in one call that keeps the reading in registers.
                GemmMicroKernel.RunTileColumn<TSimd, TVec>(
                    m / mr, mr * aRow, k, a, aRow, aStep, b + jr, ldb, c + jr, ldc, biasPanel, accumulate, reading);
                continue;
            }
            for (int ir = 0; ir < m; ir += mr)
            {
                float* cTile = c + ir * ldc + jr;
                GemmMicroKernel.RunTile<TSimd, TVec>(k, a + ir * aRow, aRow, aStep, b + jr, ldb, cTile, ldc, biasPanel, accumulate);
                if (relu)
                {
                    ReluTile<TSimd, TVec>(cTile, ldc, mr, nr);
                }
            }
        }
    }

    /// <summary>
    /// Where an mc×nc block's panels are: tile row ir's op(A) panel starts at <c>A + ir·ATile</c>, its rows
    /// <c>ARow</c> apart, and steps <c>AStep</c> floats per k; tile column jr's op(B) panel starts at
    /// <c>B + jr·BTile</c> and steps <c>BStep</c>.
    /// </summary>
    private readonly struct Panels(float* a, nint aTile, nint aRow, nint aStep, float* b, nint bTile, nint bStep)
    {
        public readonly float* A = a;
        public readonly nint ATile = aTile;
        public readonly nint ARow = aRow;
        public readonly nint AStep = aStep;
        public readonly float* B = b;
        public readonly nint BTile = bTile;
        public readonly nint BStep = bStep;
    }

    /// <summary>Runs the micro-kernel over an mc×nc block.</summary>
    private static void Macro<TSimd, TVec>(
        int kc, Panels panels, int mc, int nc, int nr, float* c, nint ldc, float* bias, bool loadC, float* edgeTile,
        KernelReading* reading, bool relu)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int mr = GemmMicroKernel.Rows<TSimd, TVec>();
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* bPanel = panels.B + jr * panels.BTile;
            float* biasPanel = bias == null ? null : bias + jr;
            int ir = 0;
            if (reading != null && cols == nr && mc >= mr)
            {
                // A probe reads C: the column's whole tiles run in one call that keeps the reading in registers.
                int tiles = mc / mr;
                GemmMicroKernel.RunTileColumn<TSimd, TVec>(
                    tiles, mr * panels.ATile, kc, panels.A, panels.ARow, panels.AStep, bPanel, panels.BStep, c + jr, ldc, biasPanel,
                    loadC, reading);
                ir = tiles * mr;
            }
            for (; ir < mc; ir += mr)
            {
                int rows = Math.Min(mr, mc - ir);
                float* aPanel = panels.A + ir * panels.ATile;
                float* cTile = c + ir * ldc + jr;
                if (rows == mr && cols == nr)
                {
                    // Only unread products get here: a read column's whole tiles ran in RunTileColumn above.
                    GemmMicroKernel.RunTile<TSimd, TVec>(kc, aPanel, panels.ARow, panels.AStep, bPanel, panels.BStep, cTile, ldc, biasPanel, loadC);
                    if (relu)
                    {
                        ReluTile<TSimd, TVec>(cTile, ldc, rows, cols);
                    }
                }
                else
                {
                    GemmMicroKernel.RunTile<TSimd, TVec>(kc, aPanel, panels.ARow, panels.AStep, bPanel, panels.BStep, edgeTile, nr, null, loadC: false);
                    MergeEdge<TSimd, TVec>(edgeTile, nr, cTile, ldc, rows, cols, biasPanel, loadC);
                    if (relu)
                    {
                        ReluTile<TSimd, TVec>(cTile, ldc, rows, cols);
                    }
                    if (reading != null)
                    {
                        if (cols == nr)
                        {
                            KernelReading.AddTile<TSimd, TVec>(reading, cTile, ldc, rows);
                        }
                        else
                        {
                            KernelReading.AddNarrow<TSimd, TVec>(reading, cTile, ldc, rows, cols);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// <c>max(c, 0)</c> over a finished tile while it is in L1 (a ReLU layer's activation), with the IEEE maximum of
    /// <c>TensorPrimitives.Max</c>, so the same bits as a pass over C afterwards: that pass read and wrote the layer's
    /// whole output again (0.45–0.65% of the 1024³ step).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReluTile<TSimd, TVec>(float* c, nint ldc, int rows, int cols)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count, vectorCols = cols - cols % w;
        for (int r = 0; r < rows; r++)
        {
            float* cr = c + r * ldc;
            for (int j = 0; j < vectorCols; j += w)
            {
                TSimd.Store(cr + j, TSimd.Max(TSimd.Load(cr + j), TSimd.Zero));
            }
            for (int j = vectorCols; j < cols; j++)
            {
                cr[j] = Math.Max(cr[j], 0f);
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
