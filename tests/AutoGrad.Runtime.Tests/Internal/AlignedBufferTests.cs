using System;
using AutoGrad.Kernels;
using Xunit;

namespace AutoGrad.Runtime.Tests.Internal;

/// <summary>The buffers ops write into start on a 64-byte boundary and keep it (they live on the pinned heap).</summary>
public class AlignedBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(2048)]
    public unsafe void EnsureShapeGivesZeroedTensorsStartingOnACacheLine(int length)
    {
        Tensor? slot = null;
        Tensor t = Tensor.EnsureShape(ref slot, [length]);

        Assert.Same(t, slot);
        Assert.Equal(length, t.Length);
        Assert.All(t.Span.ToArray(), v => Assert.Equal(0f, v));
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        fixed (float* p = t.Span)
        {
            Assert.Equal(0, (long)p % AlignedArrays.Alignment);
        }
    }

    [Fact]
    public unsafe void ScratchSlotsStartOnACacheLineAsTheyGrow()
    {
        foreach (int length in new[] { 5, 100, 3000 })
        {
            Span<float> s = Scratch.Get(Scratch.Slots - 1, length);
            Assert.Equal(length, s.Length);
            fixed (float* p = s)
            {
                Assert.Equal(0, (long)p % AlignedArrays.Alignment);
            }
        }
    }
}
