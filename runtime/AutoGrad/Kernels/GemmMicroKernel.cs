using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The register-blocked core of the GEMM: an MR × (2 vectors) tile of C kept in accumulators while k runs over a
/// packed A panel (MR floats per k) and a packed B panel (2 vectors per k). With AVX2 that is 6x16, the BLIS Haswell
/// shape (12 accumulators + 2 B vectors + 1 broadcast fill the 16 ymm registers); with AVX-512, 8x32 (16 accumulators
/// of the 32 zmm registers): more FMAs per B load, and batches of 32 or 64 rows split into whole tiles, where 6 rows
/// left a 2-row edge tile computed in full and merged. Each k step issues 12 or 16 independent FMAs, enough to cover
/// the FMA latency on both pipes. A probe's reading of C (<see cref="KernelReading"/>) is taken from the accumulators as
/// the epilogue stores them: reloading the stored tile cost about half as much again.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of C per tile at this vector width: 8 with AVX-512's 32 registers, else 6.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Rows<TSimd, TVec>()
        where TSimd : ISimd<TVec>
        where TVec : unmanaged => TSimd.Count == 16 ? 8 : 6;

    /// <summary>The most rows any width uses (scratch tiles are sized for it).</summary>
    public const int MaxRows = 8;

    /// <summary>
    /// One tile of MR = <see cref="Rows{TSimd, TVec}"/> rows (8 with AVX-512's 16 accumulators, else 6):
    /// <c>C[0..MR, 0..NR) = (loadC ? C : 0) + A·B (+ bias)</c>, with NR = 2 vectors. Each k step reads
    /// the tile's MR values of op(A), row r at <c>a + r·aRow</c>, and its NR values of op(B) at <paramref name="b"/>,
    /// then advances both by <paramref name="aStep"/> and <paramref name="bStep"/>: (1, MR) and NR in packed panels,
    /// or the operands' own strides when a small product reads them where they are (<see cref="GemmPacked"/>). <paramref name="bias"/> is null
    /// or NR floats. Order of the epilogue adds is fixed ((A·B + C) + bias) so edge tiles computed through a
    /// scratch tile produce the same bits as full tiles. A tile read for a probe runs in <see cref="RunTileColumn"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RunTile<TSimd, TVec>(
        int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, float* bias, bool loadC)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        PrefetchTile(c, ldc, 2 * TSimd.Count, Rows<TSimd, TVec>());
        var unread = new TileReading<TSimd, TVec>();
        Tile<TSimd, TVec, NoReading>(kc, a, aRow, aStep, b, bStep, c, ldc, bias, loadC, ref unread);
    }

    /// <summary>The tile of <see cref="Rows{TSimd, TVec}"/> rows (the width decides it when the kernel is compiled).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TSimd, TVec, TMode>(
        int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, float* bias, bool loadC,
        ref TileReading<TSimd, TVec> tile)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        if (TSimd.Count == 16)
        {
            Tile8<TSimd, TVec, TMode>(kc, a, aRow, aStep, b, bStep, c, ldc, bias, loadC, ref tile);
        }
        else
        {
            Tile6<TSimd, TVec, TMode>(kc, a, aRow, aStep, b, bStep, c, ldc, bias, loadC, ref tile);
        }
    }

    /// <summary>
    /// A column of <paramref name="tiles"/> whole tiles, each <paramref name="aTile"/> floats further into op(A) and
    /// <see cref="Rows{TSimd, TVec}"/> rows further down C, read for a probe: the reading stays in registers from tile to
    /// tile and is added to <paramref name="reading"/> once, where a call per tile (<see cref="RunTile"/>) loads, adds
    /// and stored it after every tile (0.6–3% of the 21-layer tanh network's probed step, whose weight gradients are
    /// 64×64 in 16 tiles). The reading is tested once per column, not per row: tested per row, its instructions sat out
    /// of line behind two taken jumps per row. Without a reading, a call per tile measured no slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void RunTileColumn<TSimd, TVec>(
        int tiles, nint aTile, int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, float* bias,
        bool loadC, KernelReading* reading)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int rows = Rows<TSimd, TVec>();
        var tile = new TileReading<TSimd, TVec>();
        for (int t = 0; t < tiles; t++)
        {
            PrefetchTile(c, ldc, 2 * TSimd.Count, rows);
            Tile<TSimd, TVec, Reading>(kc, a, aRow, aStep, b, bStep, c, ldc, bias, loadC, ref tile);
            a += aTile;
            c += rows * ldc;
        }
        tile.AddTo(reading);
    }

    /// <summary>One 8-row tile's k loop and epilogue, reading C into <paramref name="tile"/> when <typeparamref name="TMode"/> reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile8<TSimd, TVec, TMode>(
        int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, float* bias, bool loadC,
        ref TileReading<TSimd, TVec> tile)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        int w = TSimd.Count;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        TVec c60 = TSimd.Zero, c61 = TSimd.Zero, c70 = TSimd.Zero, c71 = TSimd.Zero;
        float* a0 = a, a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow;
        float* a4 = a + 4 * aRow, a5 = a + 5 * aRow, a6 = a + 6 * aRow, a7 = a + 7 * aRow;
        nint ak = 0;
        for (int k = 0; k < kc; k++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + w);
            TVec av = TSimd.Splat(a0[ak]);
            c00 = TSimd.MulAdd(av, b0, c00);
            c01 = TSimd.MulAdd(av, b1, c01);
            av = TSimd.Splat(a1[ak]);
            c10 = TSimd.MulAdd(av, b0, c10);
            c11 = TSimd.MulAdd(av, b1, c11);
            av = TSimd.Splat(a2[ak]);
            c20 = TSimd.MulAdd(av, b0, c20);
            c21 = TSimd.MulAdd(av, b1, c21);
            av = TSimd.Splat(a3[ak]);
            c30 = TSimd.MulAdd(av, b0, c30);
            c31 = TSimd.MulAdd(av, b1, c31);
            av = TSimd.Splat(a4[ak]);
            c40 = TSimd.MulAdd(av, b0, c40);
            c41 = TSimd.MulAdd(av, b1, c41);
            av = TSimd.Splat(a5[ak]);
            c50 = TSimd.MulAdd(av, b0, c50);
            c51 = TSimd.MulAdd(av, b1, c51);
            av = TSimd.Splat(a6[ak]);
            c60 = TSimd.MulAdd(av, b0, c60);
            c61 = TSimd.MulAdd(av, b1, c61);
            av = TSimd.Splat(a7[ak]);
            c70 = TSimd.MulAdd(av, b0, c70);
            c71 = TSimd.MulAdd(av, b1, c71);
            ak += aStep;
            b += bStep;
        }
        StoreRow<TSimd, TVec, TMode>(c, w, c00, c01, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + ldc, w, c10, c11, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 2 * ldc, w, c20, c21, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 3 * ldc, w, c30, c31, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 4 * ldc, w, c40, c41, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 5 * ldc, w, c50, c51, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 6 * ldc, w, c60, c61, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 7 * ldc, w, c70, c71, bias, loadC, ref tile);
    }

    /// <summary>One 6-row tile's k loop and epilogue, reading C into <paramref name="tile"/> when <typeparamref name="TMode"/> reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile6<TSimd, TVec, TMode>(
        int kc, float* a, nint aRow, nint aStep, float* b, nint bStep, float* c, nint ldc, float* bias, bool loadC,
        ref TileReading<TSimd, TVec> tile)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        int w = TSimd.Count;
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        float* a0 = a, a1 = a + aRow, a2 = a + 2 * aRow, a3 = a + 3 * aRow, a4 = a + 4 * aRow, a5 = a + 5 * aRow;
        nint ak = 0;
        for (int k = 0; k < kc; k++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + w);
            TVec av = TSimd.Splat(a0[ak]);
            c00 = TSimd.MulAdd(av, b0, c00);
            c01 = TSimd.MulAdd(av, b1, c01);
            av = TSimd.Splat(a1[ak]);
            c10 = TSimd.MulAdd(av, b0, c10);
            c11 = TSimd.MulAdd(av, b1, c11);
            av = TSimd.Splat(a2[ak]);
            c20 = TSimd.MulAdd(av, b0, c20);
            c21 = TSimd.MulAdd(av, b1, c21);
            av = TSimd.Splat(a3[ak]);
            c30 = TSimd.MulAdd(av, b0, c30);
            c31 = TSimd.MulAdd(av, b1, c31);
            av = TSimd.Splat(a4[ak]);
            c40 = TSimd.MulAdd(av, b0, c40);
            c41 = TSimd.MulAdd(av, b1, c41);
            av = TSimd.Splat(a5[ak]);
            c50 = TSimd.MulAdd(av, b0, c50);
            c51 = TSimd.MulAdd(av, b1, c51);
            ak += aStep;
            b += bStep;
        }
        StoreRow<TSimd, TVec, TMode>(c, w, c00, c01, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + ldc, w, c10, c11, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 2 * ldc, w, c20, c21, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 3 * ldc, w, c30, c31, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 4 * ldc, w, c40, c41, bias, loadC, ref tile);
        StoreRow<TSimd, TVec, TMode>(c + 5 * ldc, w, c50, c51, bias, loadC, ref tile);
    }

    /// <summary>C row strides from which the tile is prefetched (1 KB): below it, C is a narrow layer's output,
    /// already in L1, and the prefetches only cost issue slots (3-5% of a 32×64×64 product).</summary>
    private const nint PrefetchStride = 256;

    /// <summary>
    /// Starts fetching the C tile while the k loop runs: its rows are a row stride apart, usually in L3 or beyond,
    /// and the epilogue would otherwise stall on six misses at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int width, int rows)
    {
        if (!Sse.IsSupported || ldc < PrefetchStride)
        {
            return;
        }
        float* last = c + width - 1;
        Sse.Prefetch0(c);
        Sse.Prefetch0(last);
        Sse.Prefetch0(c + ldc);
        Sse.Prefetch0(last + ldc);
        Sse.Prefetch0(c + 2 * ldc);
        Sse.Prefetch0(last + 2 * ldc);
        Sse.Prefetch0(c + 3 * ldc);
        Sse.Prefetch0(last + 3 * ldc);
        Sse.Prefetch0(c + 4 * ldc);
        Sse.Prefetch0(last + 4 * ldc);
        Sse.Prefetch0(c + 5 * ldc);
        Sse.Prefetch0(last + 5 * ldc);
        if (rows == 8)
        {
            Sse.Prefetch0(c + 6 * ldc);
            Sse.Prefetch0(last + 6 * ldc);
            Sse.Prefetch0(c + 7 * ldc);
            Sse.Prefetch0(last + 7 * ldc);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TSimd, TVec, TMode>(
        float* c, int w, TVec v0, TVec v1, float* bias, bool loadC, ref TileReading<TSimd, TVec> tile)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
        where TMode : IReadingMode
    {
        if (loadC)
        {
            v0 = TSimd.Add(v0, TSimd.Load(c));
            v1 = TSimd.Add(v1, TSimd.Load(c + w));
        }
        if (bias != null)
        {
            v0 = TSimd.Add(v0, TSimd.Load(bias));
            v1 = TSimd.Add(v1, TSimd.Load(bias + w));
        }
        TSimd.Store(c, v0);
        TSimd.Store(c + w, v1);
        if (TMode.Reads)
        {
            tile.Add(v0, v1);
        }
    }
}
