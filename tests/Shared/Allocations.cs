using System;
using Xunit;

namespace AutoGrad.Testing;

/// <summary>Steady-state allocation checks, shared by every test project.</summary>
internal static class Allocations
{
    /// <summary>
    /// Asserts that <paramref name="step"/> allocates nothing once warm. The runtime itself sometimes allocates a little
    /// on the calling thread while it re-compiles a hot method or loads a type for it (tiered JIT; seen as 2,192 bytes in
    /// one CI run of a step that allocates nothing), so a window is retried a few times. A step that allocates for real
    /// allocates in every window and still fails.
    /// </summary>
    public static void AssertNoneAfterWarmUp(Action step, int warmUp = 50, int window = 20)
    {
        for (int i = 0; i < warmUp; i++) step();
        long allocated = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < window; i++) step();
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0) return;
        }
        Assert.Fail($"{allocated} bytes allocated over {window} steady-state steps, and in each of the 4 windows before");
    }
}
