namespace AutoGrad.Kernels;

/// <summary>
/// Cache blocking for the packed GEMM (the BLIS loop nest). A KC×NR panel of op(B) (16 KiB at NR = 16) stays in
/// L1 while the micro-kernel sweeps an MC×KC block of op(A) (144 KiB) held in L2; the KC×NC block of op(B)
/// lives in L3. These match BLIS's choices for Zen-class cores.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Depth of one k block.</summary>
    public const int Kc = 256;

    /// <summary>Rows of op(A) per L2 block (a multiple of the micro-kernel's 6 rows with AVX2 and 8 with AVX-512).</summary>
    public const int Mc = 144;

    /// <summary>Columns of op(B) per L3 block (a multiple of every panel width).</summary>
    public const int Nc = 2048;

    /// <summary>
    /// Splits <paramref name="extent"/> into the fewest blocks of at most <paramref name="max"/> and returns an
    /// even block size rounded up to <paramref name="multiple"/>, so K = 784 runs as 3 × 200 + 184 (multiples of 8)
    /// rather than 3 × 256 plus a thin 16 that would pay the C load/store for little work.
    /// </summary>
    public static int Balance(int extent, int max, int multiple)
    {
        if (extent <= 0)
        {
            return multiple;
        }
        if (extent <= max)
        {
            // One block (every product of a narrow layer): no division by a run-time block count.
            return (extent + multiple - 1) / multiple * multiple;
        }
        int blocks = (extent + max - 1) / max;
        int size = (extent + blocks - 1) / blocks;
        return (size + multiple - 1) / multiple * multiple;
    }
}
