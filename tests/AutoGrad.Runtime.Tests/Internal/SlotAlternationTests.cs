using Xunit;

namespace AutoGrad.Runtime.Tests.Internal;

/// <summary>A workspace slot keeps the buffers of the last two shapes it held, and never adopts a caller's tensor.</summary>
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

        // A third shape keeps the last one and drops the older.
        Tensor third = Tensor.EnsureShape(ref slot, [3, 8]);
        Assert.Same(small, Tensor.EnsureShape(ref slot, [17, 8]));
        Assert.Same(third, Tensor.EnsureShape(ref slot, [3, 8]));
        Assert.NotSame(big, Tensor.EnsureShape(ref slot, [64, 8]));
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
