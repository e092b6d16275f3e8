using System;
using System.Diagnostics;
using System.Runtime;

namespace AutoGrad.Benchmarks;

/// <summary>
/// Warms a benchmark up to the code a long training run executes: tier-1 JIT code for every method it calls.
/// </summary>
/// <remarks>
/// A training step calls a few hundred small methods (ops, kernels, their SIMD helpers). Each starts as unoptimized
/// tier-0 code, which here runs 10–40× slower, and is recompiled in the background in two more stages (instrumented,
/// then optimized with the profile). On this shared machine that took 2–7 s of steady calling, far longer than
/// BenchmarkDotNet's quick warm-up, so without this the quick rows measured tier-0 code. The signal used is direct:
/// keep calling until the process has compiled no new method for a while.
/// </remarks>
public static class SteadyState
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Minimum = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Maximum = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Calls <paramref name="step"/> for at least half a second and until no method has been compiled for half a
    /// second (at most 15 s).
    /// </summary>
    /// <param name="step">One benchmark operation.</param>
    public static void Reach(Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var total = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        long compiled = JitInfo.GetCompiledMethodCount();
        while (total.Elapsed < Maximum)
        {
            step();
            long now = JitInfo.GetCompiledMethodCount();
            if (now != compiled)
            {
                compiled = now;
                quiet.Restart();
            }
            else if (quiet.Elapsed >= Quiet && total.Elapsed >= Minimum)
            {
                return;
            }
        }
    }
}
