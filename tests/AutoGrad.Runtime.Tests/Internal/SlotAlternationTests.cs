using System.Linq;
using Xunit;

namespace AutoGrad.Runtime.Tests.Internal;

/// <summary>A workspace slot keeps the buffers of the last four shapes it held, and never adopts a caller's tensor.</summary>
public class SlotAlternationTests
{
    [Fact]
    public void ASlotAlternatingBetweenTwoShapesReusesBothBuffers()
    {
        Tensor? slot = null;
        Tensor big = Tensor.EnsureShape(ref slot, [64, 8]);
        Tensor small = Tensor.EnsureShape(ref slot, [17, 8]);
        Assert.NotSame(big, small);
        Assert.Same(big, Tensor.EnsureShape(ref slot, [64, 8]));
        Assert.Same(small, Tensor.EnsureShape(ref slot, [17, 8]));
        Assert.Same(small, slot);
    }

    /// <summary>
    /// Review helper-63: one op in a loop over layers of three widths (a weight penalty over a Tensor[]) shares a slot
    /// across iterations; with two buffers kept, the third shape reallocated every iteration.
    /// </summary>
    [Fact]
    public void ASlotCyclingThroughFourShapesReusesEveryBufferAndAFifthDropsTheLeastRecentlyUsed()
    {
        Tensor? slot = null;
        int[][] shapes = [[3, 3], [2, 3], [1, 3], [4]];
        Tensor[] first = shapes.Select(s => Tensor.EnsureShape(ref slot, s)).ToArray();
        Assert.Equal(4, first.Distinct().Count());
        for (int round = 0; round < 3; round++)
        {
            for (int i = 0; i < shapes.Length; i++) Assert.Same(first[i], Tensor.EnsureShape(ref slot, shapes[i]));
        }
        Assert.Same(first[1], Tensor.EnsureShape(ref slot, [2, 3])); // [3, 3] is now the least recently used
        Tensor fifth = Tensor.EnsureShape(ref slot, [5, 5]);
        Assert.DoesNotContain(fifth, first);
        foreach (int i in new[] { 1, 2, 3 }) Assert.Same(first[i], Tensor.EnsureShape(ref slot, shapes[i]));
        Assert.Same(fifth, Tensor.EnsureShape(ref slot, [5, 5]));
        Assert.NotSame(first[0], Tensor.EnsureShape(ref slot, [3, 3]));
    }

    [Fact]
    public void ACallersTensorInTheSlotIsNeverTakenBackAsABuffer()
    {
        Tensor mine = Tensor.Zeros(4, 4);
        Tensor? slot = mine;
        Tensor other = Tensor.EnsureShape(ref slot, [2, 4]);
        Assert.NotSame(mine, other);
        Tensor again = Tensor.EnsureShape(ref slot, [4, 4]);
        Assert.NotSame(mine, again);
    }
}
