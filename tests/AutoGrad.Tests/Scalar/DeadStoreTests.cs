using AutoGrad.Tests.Infrastructure;
using Xunit;

namespace AutoGrad.Tests.Scalar;

public class DeadStoreTests
{
    [Fact]
    public void AnOverwrittenValueLeavesNoNaNInTheGradient()
    {
        Assert.Equal(3.0, DeadStores.OverwrittenGradient(1.5, double.NaN, out double dX));
        Assert.Equal(2.0, dX);

        Assert.Equal(0.25, DeadStores.OutsideItsDomainGradient(0.5, out dX));
        Assert.Equal(1.0, dX);

        DeadStores.InALoopGradient(0.7, [1.0, double.NaN, double.PositiveInfinity], out double dW);
        Assert.Equal(6.0, dW);

        DeadStores.AnElementGradient(0.7, double.NaN, out dW);
        Assert.Equal(4.0, dW);

        Tensor h = Tensor.FromValues([0.5f, -1.5f, 2f], 3), c = Tensor.FromValues([float.NaN, 1f, 2f], 3), dH = Tensor.Zeros(3);
        Assert.Equal(0.25f + 2.25f + 4f, DeadStores.MadeByOpsGradient(h, c, dH));
        Assert.Equal([1f, -3f, 4f], dH.ToArray());
    }

    [Fact]
    public void AValueReadBeforeItIsOverwrittenStillCarriesItsGradient()
    {
        GradCheck.Double(t => DeadStores.ReadThenOverwritten(t[0]), t =>
        {
            double value = DeadStores.ReadThenOverwrittenGradient(t[0], out double dX);
            return (value, [dX]);
        }, [0.8]);
        DeadStores.ReadThenOverwrittenGradient(0.8, out double d);
        Assert.Equal(6 * 0.8 + 1, d, 12);
    }
}
