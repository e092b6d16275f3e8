using System;

namespace AutoGrad.Kernels;

/// <summary>Process-wide settings of the compute kernels.</summary>
public static class KernelOptions
{
    private static int s_maxDegreeOfParallelism = 1;

    /// <summary>
    /// How many threads a large matrix product may use (default 1). Work is split by output tiles and every
    /// element is computed in the same order whatever the split, so results are bit-identical for any degree.
    /// With a degree above 1, each large product pays the small allocation <see cref="System.Threading.Tasks.Parallel"/>
    /// makes per call.
    /// </summary>
    public static int MaxDegreeOfParallelism
    {
        get => s_maxDegreeOfParallelism;
        set
        {
            if (value < 1)
            {
                // ParallelOptions reads -1 as "no limit"; here the degree also fixes how results are summed, so it is
                // always a number (Environment.ProcessorCount for every core).
                throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), value,
                    "KernelOptions.MaxDegreeOfParallelism must be at least 1 (1 = single-threaded; Environment.ProcessorCount for every core).");
            }
            s_maxDegreeOfParallelism = value;
        }
    }

    /// <summary>
    /// Products with fewer multiply-adds than this stay on one thread: below it the cost of waking workers exceeds
    /// the work (about 0.1 ms of compute on one core).
    /// </summary>
    internal const long ParallelThreshold = 1L << 22;
}
