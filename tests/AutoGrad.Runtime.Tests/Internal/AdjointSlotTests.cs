using AutoGrad.Internal;
using Xunit;

namespace AutoGrad.Runtime.Tests.Internal;

/// <summary>
/// <see cref="AdjointSlot.Target"/> skips its shape comparison when it sees the same value and buffer as last time;
/// these pin down that a different value, a different shape or a newly bound buffer are still honoured.
/// </summary>
public class AdjointSlotTests
{
    [Fact]
    public void FirstContributionOverwritesThenLaterOnesAccumulate()
    {
        var slot = new AdjointSlot();
        Tensor like = Tensor.Zeros(2, 3);

        GradTarget first = slot.Target(like);
        GradTarget second = slot.Target(like);

        Assert.False(first.IsAccumulate);
        Assert.True(second.IsAccumulate);
        Assert.Same(first.Tensor, second.Tensor);
        Assert.True(first.Tensor!.HasShape([2, 3]));
    }

    [Fact]
    public void ReusesItsBufferAcrossStepsAndReshapesWhenTheValueChangesShape()
    {
        var slot = new AdjointSlot();
        Tensor small = Tensor.Zeros(2, 3);
        Tensor buffer = slot.Target(small).Tensor!;
        slot.Live = false;
        Assert.Same(buffer, slot.Target(small).Tensor);

        slot.Live = false;
        Tensor wide = Tensor.Zeros(2, 5);
        Tensor reshaped = slot.Target(wide).Tensor!;

        Assert.True(reshaped.HasShape([2, 5]));
        slot.Live = false;
        Assert.True(slot.Target(small).Tensor!.HasShape([2, 3]));
    }

    [Fact]
    public void ABufferBoundAfterACheckIsCheckedAgain()
    {
        var slot = new AdjointSlot();
        Tensor like = Tensor.Zeros(4);
        slot.Bind(Tensor.Zeros(4));
        slot.Target(like);

        // A caller-provided gradient of the wrong shape: Target must not trust the earlier match.
        Tensor wrong = Tensor.Zeros(3);
        slot.Bind(wrong);
        Tensor used = slot.Target(like).Tensor!;

        Assert.NotSame(wrong, used);
        Assert.True(used.HasShape([4]));
    }
}
