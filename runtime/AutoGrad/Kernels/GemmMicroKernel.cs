using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// The register-blocked core of the GEMM: a 6 × (2 vectors) tile of C kept in 12 accumulators while k runs over a
/// packed A panel (6 floats per k) and a packed B panel (2 vectors per k). That is 6x16 on AVX2 (the BLIS Haswell
/// shape: 12 accumulators + 2 B vectors + 1 broadcast fill the 16 ymm registers) and 6x32 on AVX-512. Each k step
/// issues 12 independent FMAs, enough to cover the FMA latency on both pipes.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of C per tile.</summary>
    public const int Mr = 6;

    /// <summary>
    /// <c>C[0..6, 0..NR) = (loadC ? C : 0) + A·B (+ bias)</c>, with NR = 2 vectors. <paramref name="bias"/> is null
    /// or NR floats. Order of the epilogue adds is fixed ((A·B + C) + bias) so edge tiles computed through a
    /// scratch tile produce the same bits as full tiles.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Run<TSimd, TVec>(int kc, float* a, float* b, float* c, nint ldc, float* bias, bool loadC)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
    {
        int w = TSimd.Count;
        PrefetchTile(c, ldc, 2 * w);
        TVec c00 = TSimd.Zero, c01 = TSimd.Zero, c10 = TSimd.Zero, c11 = TSimd.Zero;
        TVec c20 = TSimd.Zero, c21 = TSimd.Zero, c30 = TSimd.Zero, c31 = TSimd.Zero;
        TVec c40 = TSimd.Zero, c41 = TSimd.Zero, c50 = TSimd.Zero, c51 = TSimd.Zero;
        for (int k = 0; k < kc; k++)
        {
            TVec b0 = TSimd.Load(b);
            TVec b1 = TSimd.Load(b + w);
            TVec av = TSimd.Splat(a[0]);
            c00 = TSimd.MulAdd(av, b0, c00);
            c01 = TSimd.MulAdd(av, b1, c01);
            av = TSimd.Splat(a[1]);
            c10 = TSimd.MulAdd(av, b0, c10);
            c11 = TSimd.MulAdd(av, b1, c11);
            av = TSimd.Splat(a[2]);
            c20 = TSimd.MulAdd(av, b0, c20);
            c21 = TSimd.MulAdd(av, b1, c21);
            av = TSimd.Splat(a[3]);
            c30 = TSimd.MulAdd(av, b0, c30);
            c31 = TSimd.MulAdd(av, b1, c31);
            av = TSimd.Splat(a[4]);
            c40 = TSimd.MulAdd(av, b0, c40);
            c41 = TSimd.MulAdd(av, b1, c41);
            av = TSimd.Splat(a[5]);
            c50 = TSimd.MulAdd(av, b0, c50);
            c51 = TSimd.MulAdd(av, b1, c51);
            a += Mr;
            b += 2 * w;
        }
        StoreRow<TSimd, TVec>(c, w, c00, c01, bias, loadC);
        StoreRow<TSimd, TVec>(c + ldc, w, c10, c11, bias, loadC);
        StoreRow<TSimd, TVec>(c + 2 * ldc, w, c20, c21, bias, loadC);
        StoreRow<TSimd, TVec>(c + 3 * ldc, w, c30, c31, bias, loadC);
        StoreRow<TSimd, TVec>(c + 4 * ldc, w, c40, c41, bias, loadC);
        StoreRow<TSimd, TVec>(c + 5 * ldc, w, c50, c51, bias, loadC);
    }

    /// <summary>
    /// Starts fetching the C tile while the k loop runs: its rows are a row stride apart, usually in L3 or beyond,
    /// and the epilogue would otherwise stall on six misses at once.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int width)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        for (int r = 0; r < Mr; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + width - 1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TSimd, TVec>(float* c, int w, TVec v0, TVec v1, float* bias, bool loadC)
        where TSimd : ISimd<TVec>
        where TVec : unmanaged
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
    }
}
