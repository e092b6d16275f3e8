using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoGrad.Kernels;

/// <summary>
/// An in-register 16x16 float transpose (AVX-512): four rounds of 16 shuffles (unpacks, in-lane shuffles, two rounds
/// of 128-bit lane shuffles). <see cref="TanhFeatureMajor"/> uses it to write a layer's batch-major output from its
/// feature-major one.
/// </summary>
internal static unsafe class Transpose16x16
{
    /// <summary>AVX-512 is hardware accelerated.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Loads 16 rows of 16 at <c>src + r * srcStride</c> and stores column j to <c>dst + j * dstStride</c>.</summary>
    public static void LoadTransposeStore(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector512<float> r0 = Avx512F.LoadVector512(src), r1 = Avx512F.LoadVector512(src + srcStride);
        Vector512<float> r2 = Avx512F.LoadVector512(src + 2 * srcStride), r3 = Avx512F.LoadVector512(src + 3 * srcStride);
        Vector512<float> r4 = Avx512F.LoadVector512(src + 4 * srcStride), r5 = Avx512F.LoadVector512(src + 5 * srcStride);
        Vector512<float> r6 = Avx512F.LoadVector512(src + 6 * srcStride), r7 = Avx512F.LoadVector512(src + 7 * srcStride);
        Vector512<float> r8 = Avx512F.LoadVector512(src + 8 * srcStride), r9 = Avx512F.LoadVector512(src + 9 * srcStride);
        Vector512<float> ra = Avx512F.LoadVector512(src + 10 * srcStride), rb = Avx512F.LoadVector512(src + 11 * srcStride);
        Vector512<float> rc = Avx512F.LoadVector512(src + 12 * srcStride), rd = Avx512F.LoadVector512(src + 13 * srcStride);
        Vector512<float> re = Avx512F.LoadVector512(src + 14 * srcStride), rf = Avx512F.LoadVector512(src + 15 * srcStride);
        Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
        Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
        Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
        Vector512<float> ta = Avx512F.UnpackLow(ra, rb), tb = Avx512F.UnpackHigh(ra, rb);
        Vector512<float> tc = Avx512F.UnpackLow(rc, rd), td = Avx512F.UnpackHigh(rc, rd);
        Vector512<float> te = Avx512F.UnpackLow(re, rf), tf = Avx512F.UnpackHigh(re, rf);

        Vector512<float> u0 = Avx512F.Shuffle(t0, t2, 0x44), u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        Vector512<float> u2 = Avx512F.Shuffle(t1, t3, 0x44), u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        Vector512<float> u4 = Avx512F.Shuffle(t4, t6, 0x44), u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        Vector512<float> u6 = Avx512F.Shuffle(t5, t7, 0x44), u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        Vector512<float> u8 = Avx512F.Shuffle(t8, ta, 0x44), u9 = Avx512F.Shuffle(t8, ta, 0xEE);
        Vector512<float> ua = Avx512F.Shuffle(t9, tb, 0x44), ub = Avx512F.Shuffle(t9, tb, 0xEE);
        Vector512<float> uc = Avx512F.Shuffle(tc, te, 0x44), ud = Avx512F.Shuffle(tc, te, 0xEE);
        Vector512<float> ue = Avx512F.Shuffle(td, tf, 0x44), uf = Avx512F.Shuffle(td, tf, 0xEE);

        Vector512<float> v0 = Avx512F.Shuffle4x128(u0, u4, 0x88), v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD);
        Vector512<float> v1 = Avx512F.Shuffle4x128(u1, u5, 0x88), v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        Vector512<float> v2 = Avx512F.Shuffle4x128(u2, u6, 0x88), v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD);
        Vector512<float> v3 = Avx512F.Shuffle4x128(u3, u7, 0x88), v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        Vector512<float> v8 = Avx512F.Shuffle4x128(u8, uc, 0x88), vc = Avx512F.Shuffle4x128(u8, uc, 0xDD);
        Vector512<float> v9 = Avx512F.Shuffle4x128(u9, ud, 0x88), vd = Avx512F.Shuffle4x128(u9, ud, 0xDD);
        Vector512<float> va = Avx512F.Shuffle4x128(ua, ue, 0x88), ve = Avx512F.Shuffle4x128(ua, ue, 0xDD);
        Vector512<float> vb = Avx512F.Shuffle4x128(ub, uf, 0x88), vf = Avx512F.Shuffle4x128(ub, uf, 0xDD);

        Avx512F.Store(dst, Avx512F.Shuffle4x128(v0, v8, 0x88));
        Avx512F.Store(dst + dstStride, Avx512F.Shuffle4x128(v1, v9, 0x88));
        Avx512F.Store(dst + 2 * dstStride, Avx512F.Shuffle4x128(v2, va, 0x88));
        Avx512F.Store(dst + 3 * dstStride, Avx512F.Shuffle4x128(v3, vb, 0x88));
        Avx512F.Store(dst + 4 * dstStride, Avx512F.Shuffle4x128(v4, vc, 0x88));
        Avx512F.Store(dst + 5 * dstStride, Avx512F.Shuffle4x128(v5, vd, 0x88));
        Avx512F.Store(dst + 6 * dstStride, Avx512F.Shuffle4x128(v6, ve, 0x88));
        Avx512F.Store(dst + 7 * dstStride, Avx512F.Shuffle4x128(v7, vf, 0x88));
        Avx512F.Store(dst + 8 * dstStride, Avx512F.Shuffle4x128(v0, v8, 0xDD));
        Avx512F.Store(dst + 9 * dstStride, Avx512F.Shuffle4x128(v1, v9, 0xDD));
        Avx512F.Store(dst + 10 * dstStride, Avx512F.Shuffle4x128(v2, va, 0xDD));
        Avx512F.Store(dst + 11 * dstStride, Avx512F.Shuffle4x128(v3, vb, 0xDD));
        Avx512F.Store(dst + 12 * dstStride, Avx512F.Shuffle4x128(v4, vc, 0xDD));
        Avx512F.Store(dst + 13 * dstStride, Avx512F.Shuffle4x128(v5, vd, 0xDD));
        Avx512F.Store(dst + 14 * dstStride, Avx512F.Shuffle4x128(v6, ve, 0xDD));
        Avx512F.Store(dst + 15 * dstStride, Avx512F.Shuffle4x128(v7, vf, 0xDD));
    }
}
