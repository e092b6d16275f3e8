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

/// <summary>Runs a kernel with the widest accelerated lanes, then finishes the tail one float at a time.</summary>
internal static class SimdDispatch
{
    /// <param name="kernel">The loop body and its reductions.</param>
    /// <param name="length">The number of elements.</param>
    /// <param name="maxBits">The widest lanes to use (512, 256, or 0 for scalar only); tests lower it to check that
    /// every path computes the same thing.</param>
    public static void Run<TKernel>(ref TKernel kernel, int length, int maxBits = 512)
        where TKernel : ISimdKernel, allows ref struct
    {
        int i = 0;
        if (maxBits >= 512 && Vector512.IsHardwareAccelerated)
        {
            kernel.Run<Vector512<float>, Simd512>(ref i, length);
        }
        else if (maxBits >= 256 && Vector256.IsHardwareAccelerated)
        {
            kernel.Run<Vector256<float>, Simd256>(ref i, length);
        }
        kernel.Run<float, SimdScalar>(ref i, length);
    }
}
