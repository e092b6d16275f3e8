using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>A fused loop body written once over any lane type; see <see cref="SimdDispatch"/>.</summary>
internal interface ISimdKernel
{
    /// <summary>Processes elements from <paramref name="index"/> while a whole lane fits before
    /// <paramref name="length"/>, advancing <paramref name="index"/>, and folds its reductions into the kernel.</summary>
    void Run<TVec, TOps>(ref int index, int length)
        where TVec : unmanaged
        where TOps : struct, ISimd<TVec>;
}

/// <summary>
/// Runs a kernel with the widest accelerated lanes, then finishes the tail one float at a time, in pieces of
/// <see cref="PieceLength"/> elements.
/// </summary>
internal static class SimdDispatch
{
    /// <summary>
    /// Each kernel run sums squares in float lanes and folds them into double at its end, so a run over 40 million
    /// weights lost 1–38% of an update ratio (a float sum stops growing at 2^24 times its terms); pieces this long keep
    /// each lane's sum to about a thousand terms, and the per-piece set-up is a few broadcasts.
    /// </summary>
    public const int PieceLength = 1 << 15;

    /// <param name="kernel">The loop body and its reductions.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="maxBits">The widest lanes to use (512, 256, 128, or 0 for scalar only); tests lower it to check
    /// that every path computes the same thing.</param>
    public static void Run<TKernel>(ref TKernel kernel, int length, int maxBits = 512)
        where TKernel : ISimdKernel, allows ref struct
    {
        int i = 0;
        while (i < length)
        {
            // Pieces end at multiples of 64 floats, so every lane width's loop ends exactly on them.
            int end = length - i > PieceLength ? i + PieceLength : length;
            if (maxBits >= 512 && Vector512.IsHardwareAccelerated)
            {
                kernel.Run<Vector512<float>, Simd512>(ref i, end);
            }
            else if (maxBits >= 256 && Vector256.IsHardwareAccelerated)
            {
                kernel.Run<Vector256<float>, Simd256>(ref i, end);
            }
            else if (maxBits >= 128 && Vector128.IsHardwareAccelerated)
            {
                kernel.Run<Vector128<float>, Simd128>(ref i, end);
            }
            kernel.Run<float, SimdScalar>(ref i, end);
        }
    }
}
