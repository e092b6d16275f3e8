using System;
using Xunit;

namespace AutoGrad.Tests.Infrastructure;

/// <summary>Steady-state allocation checks.</summary>
internal static class Allocations
{
    /// <summary>
    /// Asserts that <paramref name="step"/> allocates nothing once warm. The runtime itself allocates a little on the
    /// calling thread when it re-compiles a hot method (tiered JIT), so a window is retried a few times; a step that
    /// allocates for real allocates in every window and still fails.
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
        Assert.Fail($"{allocated} bytes allocated over {window} steady-state steps");
    }
}
