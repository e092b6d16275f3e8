using System.Runtime.Intrinsics;

namespace AutoGrad.Kernels;

/// <summary>Which vector width our own kernels run at. Tests force each one; production uses <see cref="SimdWidths.Best"/>.</summary>
internal enum SimdWidth
{
    V128,
    V256,
    V512,
}

internal static class SimdWidths
{
    /// <summary>
    /// The widest width the hardware accelerates (Vector512 on AVX-512 machines). Computed from JIT-time
    /// constants rather than stored, so every kernel's dispatch on it folds away.
    /// </summary>
    public static SimdWidth Best =>
        Vector512.IsHardwareAccelerated ? SimdWidth.V512 :
        Vector256.IsHardwareAccelerated ? SimdWidth.V256 :
        SimdWidth.V128;
}
